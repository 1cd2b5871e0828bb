// The control plane's log: one line per event on stderr, `level message key=value …`.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function stderrLogger(minimum: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  return {
    log(level, message, fields = {}) {
      if (ORDER[level] < ORDER[minimum]) return;
      const extra = Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === 'string' && /[\s"=]/.test(v) ? JSON.stringify(v) : v}`)
        .join(' ');
      write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}${extra ? ` ${extra}` : ''}\n`);
    },
  };
}

/** A logger that keeps lines in memory (tests). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, ...stderrLogger('debug', (l) => lines.push(l.trimEnd())) };
}
