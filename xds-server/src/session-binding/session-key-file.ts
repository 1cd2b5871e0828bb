// [impure] The session key: 32 or more random bytes, hex in a file (`openssl rand -hex 32`), shared by
// every control-plane replica so that any of them accepts a session id another issued. Created
// (mode 0600) when missing, so a first start needs no setup. The key never goes in a log line or a
// message.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A session key file that cannot be used: unreadable, or not 64+ hex digits. */
export class SessionKeyError extends Error {}

export async function loadOrCreateSessionKey(path: string): Promise<{ key: Buffer; created: boolean }> {
  try {
    return { key: parseSessionKey(path, await readFile(path, 'utf8')), created: false };
  } catch (error) {
    if (error instanceof SessionKeyError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new SessionKeyError(`cannot read the session key ${path}: ${codeOf(error)}`);
  }
  const key = randomBytes(32);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(`${key.toString('hex')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    // Another replica created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { key: parseSessionKey(path, await readFile(path, 'utf8')), created: false };
    throw new SessionKeyError(`cannot create the session key ${path}: ${codeOf(error)}`);
  }
  return { key, created: true };
}

export function parseSessionKey(path: string, text: string): Buffer {
  const hex = text.trim();
  if (!/^(?:[0-9a-fA-F]{2}){32,}$/.test(hex)) throw new SessionKeyError(`the session key ${path} must hold at least 64 hex digits (openssl rand -hex 32)`);
  return Buffer.from(hex, 'hex');
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}
