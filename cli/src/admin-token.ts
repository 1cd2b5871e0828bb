// The admin endpoint's bearer token, read from --admin-token-file (serve sets it, preflight --live sends it).
import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error.ts';

/** The file's content, surrounding whitespace removed. */
export function readAdminToken(file: string): string {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`--admin-token-file: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (!/^[\x21-\x7e]{16,}$/.test(token)) throw new UsageError(`--admin-token-file: ${file} must hold one token of at least 16 printable characters`);
  return token;
}
