// [impure] Runs the Rego checks on a revision's policies: `opa test` (results and coverage),
// `opa fmt` and Regal. The repository's policies and Gatehouse's base policy (from the package) are
// copied into a private workspace first, with the Regal configuration, so the tools see exactly the
// files that were read. Only the repository's files are judged: the base policy is Gatehouse's, linted
// and tested by Gatehouse's own tests, and is there so the repository's rules and tests resolve.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isBasePolicyFile, readBasePolicy } from '../../../../compiler/src/source/base-policy.ts';
import type { SourceFile } from '../../../../compiler/src/source/read-tree.ts';
import { policyFolders } from '../../../../compiler/src/emit/policy/opa.ts';
import { run } from '../../../../toolchain/src/run.ts';
import { requireTool } from '../../../../toolchain/src/tools.ts';
import { firstLines, parseOpaCoverage, parseOpaTests } from './parse-opa.ts';
import { parseRegal } from './parse-regal.ts';
import type { Checked, RegoFacts, UnformattedFile } from './rego-facts.ts';
import { mergedRegalConfig } from './regal-config.ts';
import { firstDifferentLine } from '../first-difference.ts';

export interface RegoSources {
  /** The repository's `.rego` files, with paths relative to the repository root (`policies/...`). */
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

/** Where the merged Regal configuration is written in the workspace (outside the linted folders). */
const REGAL_CONFIG = '.gatehouse-regal.yaml';

const isRepositoryFile = (file: string) => !isBasePolicyFile(file);

export async function runRegoChecks(sources: RegoSources, wanted: RegoChecksWanted): Promise<RegoFacts> {
  const opa = requireTool('opa');
  const regal = wanted.lint ? requireTool('regal') : '';
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-rego-'));
  try {
    const files = [...readBasePolicy('repository-tests'), ...sources.policies];
    for (const file of files) write(dir, file.path, file.text ?? '');
    write(dir, REGAL_CONFIG, mergedRegalConfig(sources.regalConfig));
    const folders = policyFolders(files);
    const options = { cwd: dir, timeoutMs: TIMEOUT_MS };
    const [tests, coverage, unformatted, lint] = await Promise.all([
      wanted.tests ? run(opa, ['test', '--format', 'json', ...folders], options) : undefined,
      wanted.coverage ? run(opa, ['test', '--coverage', '--format', 'json', ...folders], options) : undefined,
      wanted.format ? formatting(opa, dir, sources.policies) : NOT_RUN,
      wanted.lint ? run(regal, ['lint', '--format', 'json', '--config-file', REGAL_CONFIG, ...folders], options) : undefined,
    ]);
    return {
      tests: tests ? parseOpaTests(tests.stdout, tests.stderr) : NOT_RUN,
      coverage: coverage ? parseOpaCoverage(coverage.stdout, coverage.stderr, isRepositoryFile) : NOT_RUN,
      unformatted,
      lint: lint ? repositoryFindings(parseRegal(lint.stdout, lint.stderr)) : NOT_RUN,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function repositoryFindings(lint: RegoFacts['lint']): RegoFacts['lint'] {
  return 'value' in lint ? { value: lint.value.filter((v) => isRepositoryFile(v.location.file)) } : lint;
}

function write(dir: string, path: string, text: string): void {
  const target = join(dir, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}

/** The repository's files `opa fmt` would change, each with the first line it would change. */
async function formatting(opa: string, dir: string, policies: readonly SourceFile[]): Promise<Checked<UnformattedFile[]>> {
  if (policies.length === 0) return { value: [] };
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
