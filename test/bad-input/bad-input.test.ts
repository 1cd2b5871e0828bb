// The bad-input corpus (cases.yaml): every case must produce its diagnostic at the right file and
// line, fail the compile, and leave the previous artifacts exactly as they were.
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../compiler/src/pipeline/compile.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { applyEdits, copyExampleRepo, snapshotFolder, tempDir } from '../../testkit/repo.ts';

interface BadInputCase {
  name: string;
  replace?: Record<string, [string, string][]>;
  files?: Record<string, string | null>;
  symlinks?: Record<string, string>;
  generated?: Record<string, Generated>;
  expect: { code: string; file?: string; line?: number; message?: string; absent?: string };
}

/** A file too big to spell out: `head`, then `repeat` until the file holds at least `bytes`. */
interface Generated {
  head?: string;
  repeat: string;
  bytes: number;
}

function generate({ head = '', repeat, bytes }: Generated): string {
  const times = Math.max(0, Math.ceil((bytes - head.length) / repeat.length));
  return head + repeat.repeat(times);
}

const cases = parse(readFileSync(join(import.meta.dirname, 'cases.yaml'), 'utf8')) as BadInputCase[];
const work = tempDir('gatehouse-bad-input-');
let goodOut: string;

beforeAll(async () => {
  const root = copyExampleRepo(join(work.path, 'good'));
  goodOut = join(work.path, 'good-out');
  const result = await compile({ root, out: goodOut, revision: 'good', skipEnvoyValidate: true }, SILENT);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
});
afterAll(() => work.remove());

describe('bad-input corpus', () => {
  it('has at least 40 cases, each with a distinct name', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  cases.forEach((c, index) => {
    it(c.name, async () => {
      const root = copyExampleRepo(join(work.path, `case-${index}`));
      for (const [file, pairs] of Object.entries(c.replace ?? {})) {
        let text = readFileSync(join(root, file), 'utf8');
        for (const [from, to] of pairs) {
          expect(text.includes(from), `case "${c.name}": "${from}" does not occur in ${file}`).toBe(true);
          text = text.replace(from, to);
        }
        writeFileSync(join(root, file), text);
      }
      applyEdits(root, c.files ?? {});
      applyEdits(root, Object.fromEntries(Object.entries(c.generated ?? {}).map(([path, spec]) => [path, generate(spec)])));
      for (const [path, target] of Object.entries(c.symlinks ?? {})) symlinkSync(target, join(root, path));

      const out = join(work.path, `out-${index}`);
      cpSync(goodOut, out, { recursive: true });
      const before = snapshotFolder(out);
      const result = await compile({ root, out, revision: 'bad', skipEnvoyValidate: true }, SILENT);

      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      const match = errors.find(
        (d) =>
          d.code === c.expect.code &&
          (c.expect.file === undefined || d.location?.file === c.expect.file) &&
          (c.expect.line === undefined || d.location?.line === c.expect.line) &&
          (c.expect.message === undefined || d.message.includes(c.expect.message)),
      );
      const found = errors.map((d) => `${d.code} ${d.location?.file}:${d.location?.line} ${d.message}`).join('\n');
      expect(match, `expected ${JSON.stringify(c.expect)} among:\n${found}`).toBeDefined();
      // What a diagnostic must not show (the content of a file it refused, for one).
      const absent = c.expect.absent;
      if (absent !== undefined) {
        for (const d of result.diagnostics) expect(`${d.message} ${d.hint ?? ''}`).not.toContain(absent);
      }
      expect(result.manifest).toBeUndefined();
      expect(snapshotFolder(out)).toEqual(before);
    });
  });
});
