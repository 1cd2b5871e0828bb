import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateSessionKey, SessionKeyError } from './session-key-file.ts';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'gatehouse-session-key-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('session key file', () => {
  it('is created once (0600, 32 bytes as hex) and read back unchanged', async () => {
    const path = join(dir(), 'state', 'session.key');
    const first = await loadOrCreateSessionKey(path);
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(`${first.key.toString('hex')}\n`);
    const second = await loadOrCreateSessionKey(path);
    expect(second).toEqual({ key: first.key, created: false });
  });

  it('takes a key made with openssl rand -hex 32 (replicas share it)', async () => {
    const path = join(dir(), 'session.key');
    writeFileSync(path, `${'ab'.repeat(48)}\n`);
    expect((await loadOrCreateSessionKey(path)).key).toEqual(Buffer.from('ab'.repeat(48), 'hex'));
  });

  it('refuses a short or non-hex key without quoting it', async () => {
    for (const text of ['abcd', 'z'.repeat(64), '']) {
      const path = join(dir(), 'session.key');
      writeFileSync(path, text);
      const error = await loadOrCreateSessionKey(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SessionKeyError);
      expect((error as Error).message).toContain('64 hex digits');
      if (text) expect((error as Error).message).not.toContain(text);
    }
  });
});
