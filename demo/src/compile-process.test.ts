import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyExampleRepo, tempDir } from '../../testkit/repo.ts';
import { compileInChildProcess } from './compile-process.ts';

const work = tempDir('gatehouse-compile-process-');
afterAll(() => work.remove());

describe('compileInChildProcess', () => {
  const root = copyExampleRepo(join(work.path, 'repo'));
  const out = join(work.path, 'dist');

  it('writes the artifacts and returns the version the manifest records', async () => {
    const result = await compileInChildProcess(root, out);
    expect(result.ok, result.report).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { version: string };
    expect(result.version).toBe(manifest.version);
  }, 120_000);

  it('reports a broken registry with file and line, and leaves the artifacts as they were', async () => {
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    const grant = join(root, 'registry', 'grants', 'support.yaml');
    writeFileSync(grant, readFileSync(grant, 'utf8').replace('close_ticket]', 'close_ticket, no_such_tool]'));
    const result = await compileInChildProcess(root, out);
    expect(result.ok).toBe(false);
    expect(result.version).toBeUndefined();
    expect(result.report).toMatch(/registry\/grants\/support\.yaml:\d+:\d+: error \[unknown-tool\]/);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(before);
  }, 120_000);

  it('says what the compiler printed when it cannot run at all', async () => {
    const result = await compileInChildProcess(join(work.path, 'no-such-repo'), join(work.path, 'elsewhere'));
    expect(result.ok).toBe(false);
    expect(result.report.length).toBeGreaterThan(0);
    expect(existsSync(join(work.path, 'elsewhere', 'manifest.json'))).toBe(false);
  }, 120_000);
});
