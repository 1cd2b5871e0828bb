// Progress lines on stderr, one per pipeline stage, with its duration.

export interface Progress {
  /** Runs a stage, printing its name, what it produced and how long it took. */
  stage<T>(name: string, run: () => T, summary?: (value: T) => string): T;
  stageAsync<T>(name: string, run: () => Promise<T>, summary?: (value: T) => string): Promise<T>;
  note(line: string): void;
}

export function progressPrinter(write: (line: string) => void, prefix: string): Progress {
  const done = <T>(name: string, started: number, value: T, summary?: (value: T) => string) => {
    const ms = Math.round(performance.now() - started);
    const extra = summary ? `: ${summary(value)}` : '';
    write(`${prefix} ${name}${extra} (${ms} ms)\n`);
    return value;
  };
  return {
    stage(name, run, summary) {
      const started = performance.now();
      return done(name, started, run(), summary);
    },
    async stageAsync(name, run, summary) {
      const started = performance.now();
      return done(name, started, await run(), summary);
    },
    note(line) {
      write(`${prefix} ${line}\n`);
    },
  };
}

/** A Progress that prints nothing (for library use and tests). */
export const SILENT: Progress = {
  stage: (_name, run) => run(),
  stageAsync: (_name, run) => run(),
  note: () => undefined,
};
