// [impure] Runs the Rego checks on a revision's policies: `opa test` (results and coverage),
// `opa fmt` and Regal. The policies are copied into a private workspace first, with the
// repository's Regal configuration, so the tools see exactly the files that were read.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SourceFile } from '../../../../compiler/src/source/read-tree.ts';
import { run } from '../../../../toolchain/src/run.ts';
import { requireTool } from '../../../../toolchain/src/tools.ts';
import { firstLines, parseOpaCoverage, parseOpaTests } from './parse-opa.ts';
import { parseRegal } from './parse-regal.ts';
import type { Checked, RegoFacts, UnformattedFile } from './rego-facts.ts';
import { firstDifferentLine } from '../first-difference.ts';

export interface RegoSources {
  /** The `.rego` files, with paths relative to the repository root (`policies/...`). */
  readonly policies: readonly SourceFile[];
  /** The text of `.regal/config.yaml`, when the repository has one. */
  readonly regalConfig?: string;
}

/** Which checks to run (the others are reported as not run): those of the gates that are not off. */
export interface RegoChecksWanted {
  readonly tests: boolean;
  readonly coverage: boolean;
  readonly format: boolean;
  readonly lint: boolean;
}

const NOT_RUN = { problem: 'its gate is off' } as const;

const TIMEOUT_MS = 120_000;

export async function runRegoChecks(sources: RegoSources, wanted: RegoChecksWanted): Promise<RegoFacts> {
  const opa = requireTool('opa');
  const regal = wanted.lint ? requireTool('regal') : '';
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-rego-'));
  try {
    for (const file of sources.policies) write(dir, file.path, file.text ?? '');
    if (sources.regalConfig !== undefined) write(dir, '.regal/config.yaml', sources.regalConfig);
    const options = { cwd: dir, timeoutMs: TIMEOUT_MS };
    const [tests, coverage, unformatted, lint] = await Promise.all([
      wanted.tests ? run(opa, ['test', '--format', 'json', 'policies'], options) : undefined,
      wanted.coverage ? run(opa, ['test', '--coverage', '--format', 'json', 'policies'], options) : undefined,
      wanted.format ? formatting(opa, dir, sources.policies) : NOT_RUN,
      wanted.lint ? run(regal, ['lint', '--format', 'json', 'policies'], options) : undefined,
    ]);
    return {
      tests: tests ? parseOpaTests(tests.stdout, tests.stderr) : NOT_RUN,
      coverage: coverage ? parseOpaCoverage(coverage.stdout, coverage.stderr) : NOT_RUN,
      unformatted,
      lint: lint ? parseRegal(lint.stdout, lint.stderr) : NOT_RUN,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function write(dir: string, path: string, text: string): void {
  const target = join(dir, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}

/** The files `opa fmt` would change, each with the first line it would change. */
async function formatting(opa: string, dir: string, policies: readonly SourceFile[]): Promise<Checked<UnformattedFile[]>> {
  const listed = await run(opa, ['fmt', '--list', 'policies'], { cwd: dir, timeoutMs: TIMEOUT_MS });
  if (listed.code !== 0) return { problem: `opa fmt failed: ${firstLines(listed.stderr || listed.stdout)}` };
  const files = listed.stdout.split('\n').map((line) => line.trim()).filter(Boolean).sort();
  const value = await Promise.all(
    files.map(async (file) => {
      const formatted = await run(opa, ['fmt', file], { cwd: dir, timeoutMs: TIMEOUT_MS });
      const original = policies.find((p) => p.path === file)?.text ?? '';
      return { file, line: firstDifferentLine(original, formatted.stdout) };
    }),
  );
  return { value };
}
