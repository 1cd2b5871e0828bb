// [impure] The exclusive lock of an audit stream: one writer per stream, or the chain breaks (two
// processes appending to one file interleave their sequence numbers). The lock is a file created
// atomically (link(2) of a whole file) beside the stream's files, naming its holder (pid, host, since when). A lock whose
// holder was a process on this host that no longer runs is stale (the process was killed) and is
// taken over; a lock held by a live process, or by another host, refuses the second writer.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { AuditLogError } from './audit-log-error.ts';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** A second writer on a stream that another process holds. */
export class AuditLockError extends AuditLogError {}

export function lockPath(dir: string, stream: string): string {
  return join(dir, `${stream}.lock`);
}

export interface StreamLock {
  readonly path: string;
  /** Whether a stale lock (of a dead process) was taken over, and whose it was. */
  readonly recovered?: LockHolder;
  release(): Promise<void>;
}

/** Takes the stream's lock, or throws AuditLockError naming the holder. */
export async function lockStream(dir: string, stream: string, isAlive: (pid: number) => boolean = processIsAlive): Promise<StreamLock> {
  const path = lockPath(dir, stream);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  let recovered: LockHolder | undefined;
  // Two passes: the second follows the removal of a stale lock.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (await createWhole(path, `${JSON.stringify(me)}\n`)) return { path, ...(recovered ? { recovered } : {}), release: () => releaseLock(path) };
    const holder = await readHolder(path);
    if (holder && (holder.host !== me.host || isAlive(holder.pid))) {
      throw new AuditLockError(
        `audit stream ${stream} is already written by process ${String(holder.pid)} on ${holder.host} (since ${holder.since}; lock ${path}): ` +
          'give each control-plane replica its own --replica-id',
      );
    }
    // Stale (its process is gone) or unreadable (not a lock this code wrote): take it over.
    recovered = holder ?? { pid: 0, host: me.host, since: '' };
    await unlink(path).catch(() => undefined);
  }
  throw new AuditLockError(`audit stream ${stream}: another process took its lock (${path}) while a stale one was removed`);
}

/** Creates `path` holding `text`, or returns false when it exists: written aside, then hard-linked, so no reader sees it half-written. */
async function createWhole(path: string, text: string): Promise<boolean> {
  const aside = `${path}.${String(process.pid)}.tmp`;
  await writeFile(aside, text, { mode: 0o600 });
  try {
    await link(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return { pid: parsed.pid, host: parsed.host, since: typeof parsed.since === 'string' ? parsed.since : '' };
  } catch {
    return undefined;
  }
}

async function releaseLock(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

/** Signal 0 checks that a process exists; EPERM means it exists under another user. */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
