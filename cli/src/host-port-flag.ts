// A HOST:PORT flag value (`--xds`, `--replica-address`), as a host and a port number.
import { portFlag } from './args.ts';
import { UsageError } from './usage-error.ts';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export function hostPortFlag(flag: string, value: string): HostPort {
  const [, host, port] = /^(.+):([0-9]{1,5})$/.exec(value) ?? [];
  if (host === undefined || port === undefined) throw new UsageError(`--${flag} must be HOST:PORT (got "${value}")`);
  return { host, port: portFlag(flag, port, 0) };
}
