// [impure] Reads the audit key file, or creates it (32 random bytes, mode 0600, synced) when
// missing, so a first start needs no setup. The key never goes in a log line, a message or an
// artifact: only its id does (artifacts/src/audit/audit-key.ts).
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { auditKeyOf, formatAuditKey, parseAuditKey, type AuditKey } from '../../../artifacts/src/audit/audit-key.ts';
import { AuditLogError } from './audit-log-error.ts';

export async function loadOrCreateAuditKey(path: string): Promise<{ key: AuditKey; created: boolean }> {
  try {
    return { key: parseKeyFile(path, await readFile(path, 'utf8')), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = auditKeyOf(randomBytes(32));
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(formatAuditKey(key));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { key: parseKeyFile(path, await readFile(path, 'utf8')), created: false };
    throw error;
  }
  return { key, created: true };
}

function parseKeyFile(path: string, text: string): AuditKey {
  const parsed = parseAuditKey(text);
  if ('error' in parsed) throw new AuditLogError(`${path}: ${parsed.error}`);
  return parsed;
}
