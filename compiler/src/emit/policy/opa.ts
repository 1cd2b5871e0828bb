// [impure] Runs the OPA CLI on the repository's policies together with Gatehouse's base policy (which
// ships in the package): `opa check --strict` and `opa build -t wasm`. Both are copied into a private
// workspace first (policies/ and base-policy/), so OPA sees exactly the files that were read (nothing
// else under policies/ is loaded as data) and reports paths relative to the repository.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { ENTRYPOINTS } from '../../../../artifacts/src/policy/engine.ts';
import { BASE_POLICY_FOLDER, isBasePolicyFile, readBasePolicy } from '../../source/base-policy.ts';
import type { SourceFile } from '../../source/read-tree.ts';
import { reservedPackageDiagnostics } from '../../source/reserved-package.ts';
import { run } from '../../../../toolchain/src/run.ts';
import { requireTool } from '../../../../toolchain/src/tools.ts';

export const isRegoTest = (path: string) => path.endsWith('_test.rego');

interface OpaError {
  message: string;
  code: string;
  location?: { file: string; row: number; col: number };
}

/** The folders of the workspace OPA loads: the base policy's and, when there are any, the repository's. */
export function policyFolders(files: readonly SourceFile[]): string[] {
  return [BASE_POLICY_FOLDER, ...(files.some((f) => !isBasePolicyFile(f.path)) ? ['policies'] : [])];
}

/** Runs `fn` in a temporary folder holding the given policy files; removes the folder afterwards. */
export async function inWorkspace<T>(files: readonly SourceFile[], fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-opa-'));
  try {
    for (const file of files) {
      const target = join(dir, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.text ?? '');
    }
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `opa check --strict` over every policy file of the repository (tests included) with the base policy;
 * errors become `rego-*` diagnostics. A file in the reserved namespace stops it (OPA would report
 * conflicts inside the base policy instead of the file at fault).
 */
export async function opaCheck(policyFiles: readonly SourceFile[]): Promise<Diagnostic[]> {
  const readable = policyFiles.filter((f) => f.text !== undefined);
  const unreadable: Diagnostic[] = policyFiles
    .filter((f) => f.text === undefined)
    .map((f) => ({
      code: 'unreadable-file',
      severity: 'error',
      message: `cannot read ${f.path}: ${f.readError}`,
      location: { file: f.path, line: 1, column: 1 },
    }));
  const reserved = reservedPackageDiagnostics(readable);
  if (reserved.length > 0) return [...unreadable, ...reserved];
  const files = [...readBasePolicy('repository-tests'), ...readable];
  return inWorkspace(files, async (dir) => {
    const result = await run(requireTool('opa'), ['check', '--strict', '--format', 'json', ...policyFolders(files)], { cwd: dir });
    if (result.code === 0) return unreadable;
    return [...unreadable, ...opaErrors(result.stdout, result.stderr).map(attributedToRepository)];
  });
}

/**
 * An error OPA places in a base policy file was caused by the repository's rules (the base policy is
 * checked by Gatehouse's own tests): it is reported without pointing into files the repository does not hold.
 */
function attributedToRepository(diagnostic: Diagnostic): Diagnostic {
  if (!diagnostic.location || !isBasePolicyFile(diagnostic.location.file)) return diagnostic;
  const { location, ...rest } = diagnostic;
  return {
    ...rest,
    message: `with the rules in policies/, Gatehouse's base policy (${location.file}:${location.line}) does not compile: ${diagnostic.message}`,
    hint: 'Look for a rule in policies/ that redefines or conflicts with a rule the base policy reads (docs/policy-contract.md).',
  };
}

/** Turns OPA's JSON error report into diagnostics. */
export function opaErrors(stdout: string, stderr: string): Diagnostic[] {
  let errors: OpaError[] = [];
  for (const text of [stdout, stderr]) {
    try {
      errors = (JSON.parse(text) as { errors?: OpaError[] }).errors ?? [];
      if (errors.length > 0) break;
    } catch {
      // not JSON: try the other stream, then fall through to the raw message
    }
  }
  if (errors.length === 0) {
    return [{ code: 'rego-error', severity: 'error', message: `opa failed: ${(stderr || stdout).trim().split('\n').slice(0, 5).join(' ')}` }];
  }
  return errors.map((e) => ({
    code: e.code === 'rego_parse_error' ? 'rego-syntax' : e.code === 'rego_type_error' ? 'rego-type' : 'rego-compile',
    severity: 'error',
    message: e.message,
    ...(e.location ? { location: { file: e.location.file, line: e.location.row, column: Math.max(1, e.location.col) } } : {}),
  }));
}

/** Builds the Wasm bundle from the non-test policies and the policy data; returns its bytes or diagnostics. */
export async function opaBuild(
  policyFiles: readonly SourceFile[],
  data: unknown,
  revision: string,
): Promise<{ bundle?: Buffer; diagnostics: Diagnostic[] }> {
  const sources = [...readBasePolicy('build'), ...policyFiles.filter((f) => !isRegoTest(f.path) && f.text !== undefined)];
  return inWorkspace(sources, async (dir) => {
    writeFileSync(join(dir, 'data.json'), JSON.stringify(data));
    const args = ['build', '-t', 'wasm', ...ENTRYPOINTS.flatMap((e) => ['-e', e]), '-r', revision, '-o', 'bundle.tar.gz', 'data.json'];
    args.push(...policyFolders(sources));
    const result = await run(requireTool('opa'), args, { cwd: dir });
    if (result.code !== 0) {
      const text = (result.stderr || result.stdout).trim();
      const missing = ENTRYPOINTS.find((e) => text.includes(e));
      return {
        diagnostics: [
          missing && /undefined|not found|entrypoint/i.test(text)
            ? {
                code: 'missing-entrypoint',
                severity: 'error',
                message: `the policies do not define the entrypoint ${missing}`,
                hint:
                  'The base policy defines data.gatehouse.authz.decision and data.gatehouse.access.tools: ' +
                  'reinstall the Gatehouse package (see docs/policy-contract.md).',
              }
            : { code: 'rego-build', severity: 'error', message: `opa build failed: ${text.split('\n').slice(0, 6).join(' ')}` },
        ],
      };
    }
    return { bundle: readFileSync(join(dir, 'bundle.tar.gz')), diagnostics: [] };
  });
}
