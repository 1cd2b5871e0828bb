// Flag parsing shared by the commands: node:util parseArgs, with errors turned into UsageError.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
const HELP = { help: { type: 'boolean', short: 'h' } } as const;
type FlagsConfig<O extends Options> = { args: string[]; options: O & typeof HELP; allowPositionals: boolean; strict: true };
/** What parseFlags returns, spelled out so that the compiled declarations can name it. */
type ParsedFlags<O extends Options> = ReturnType<typeof parseArgs<FlagsConfig<O>>>;

/** Parses flags strictly; `--help` is always accepted and reported as `help: true`. */
export function parseFlags<O extends Options>(argv: readonly string[], options: O, allowPositionals = false): ParsedFlags<O> {
  try {
    return parseArgs<FlagsConfig<O>>({
      args: [...argv],
      options: { ...options, ...HELP },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Checks that a flag's value is one of the allowed choices. */
export function oneOf<T extends string>(flag: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${choices.join(', ')} (got "${value}")`);
}

/** A port flag's value (0 lets the system choose, where a command allows it). */
export function portFlag(flag: string, value: string | undefined, fallback: number, options: { allowZero?: boolean } = {}): number {
  const n = Number(value ?? fallback);
  const lowest = options.allowZero ? 0 : 1;
  if (!Number.isInteger(n) || n < lowest || n > 65535) throw new UsageError(`--${flag} must be a port number (got "${value}")`);
  return n;
}
