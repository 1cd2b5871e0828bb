// [impure] Reads the base revision of a comparison from git, without touching the working tree:
// `git archive <commit> -- registry policies .regal` (and any JWKS file or OpenAPI document the registry refers to),
// unpacked into a temporary folder. The base policy is not read from the commit: it comes from the
// installed Gatehouse package, for the base revision as for the head. A commit from before the base
// policy moved into the package holds a copy in policies/gatehouse/; that copy is dropped.
import { TOOL_LOCK_FILE } from '../../../compiler/src/tool-lock/lock-file.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseRegistryFiles } from '../../../compiler/src/source/parse-yaml.ts';
import { readTree } from '../../../compiler/src/source/read-tree.ts';
import { reservedPackageDiagnostics } from '../../../compiler/src/source/reserved-package.ts';
import { run } from '../../../toolchain/src/run.ts';

/** The base revision cannot be read (no git repository, unknown ref): a usage problem, exit code 2. */
export class BaseRevisionError extends Error {
  override readonly name = 'BaseRevisionError';
}

/** The commit a ref names, in the repository that holds root. */
export async function resolveBaseCommit(root: string, ref: string): Promise<string> {
  const inside = await run('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root });
  if (inside.code !== 0 || inside.stdout.trim() !== 'true') {
    throw new BaseRevisionError(`--base ${ref}: ${root} is not in a git repository, so there is no base revision to compare with`);
  }
  const commit = await run('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: root });
  if (commit.code !== 0) {
    throw new BaseRevisionError(
      `--base ${ref}: no such branch, tag or commit in this repository. Fetch it first (git fetch origin ${ref.replace(/^origin\//, '')}); in GitHub Actions, check out with fetch-depth: 0`,
    );
  }
  return commit.stdout.trim();
}

/** Unpacks the registry, policies and Regal configuration of `commit` (paths relative to root) into `into`. */
export async function extractRevision(root: string, commit: string, into: string): Promise<void> {
  await extractPaths(root, commit, ['registry', 'policies', '.regal', TOOL_LOCK_FILE], into);
  dropBasePolicyCopies(into);
  const tree = readTree(into);
  const referenced = new Set<string>();
  for (const doc of parseRegistryFiles(tree.files).value ?? []) {
    const value = doc.value as { kind?: unknown; spec?: { jwks?: { file?: unknown }; openapi?: { file?: unknown } } } | null;
    if (value?.kind === 'IdentityProvider' && typeof value.spec?.jwks?.file === 'string') referenced.add(value.spec.jwks.file);
    if (value?.kind === 'McpServer' && typeof value.spec?.openapi?.file === 'string') referenced.add(value.spec.openapi.file);
  }
  if (referenced.size > 0) await extractPaths(root, commit, [...referenced].sort(), into);
}

/** Removes the files of the extracted policies/ in Gatehouse's reserved namespace (an old copy of the base policy). */
function dropBasePolicyCopies(into: string): void {
  const policies = readTree(into).files.filter((f) => f.kind === 'policy');
  for (const diagnostic of reservedPackageDiagnostics(policies)) {
    if (diagnostic.location) rmSync(join(into, diagnostic.location.file), { force: true });
  }
}

/** Archives the given paths of a commit (those that exist there) and unpacks them into `into`. */
async function extractPaths(root: string, commit: string, paths: readonly string[], into: string): Promise<void> {
  const listed = await run('git', ['ls-tree', '--name-only', commit, '--', ...paths], { cwd: root });
  if (listed.code !== 0) throw new BaseRevisionError(`cannot list ${commit}: ${listed.stderr.trim()}`);
  const present = listed.stdout.split('\n').filter(Boolean);
  if (present.length === 0) return;
  const archive = join(into, '.gatehouse-base.tar');
  try {
    const archived = await run('git', ['archive', '--format=tar', '-o', archive, commit, '--', ...present], { cwd: root });
    if (archived.code !== 0) throw new BaseRevisionError(`git archive of ${commit} failed: ${archived.stderr.trim()}`);
    const unpacked = await run('tar', ['-xf', archive, '-C', into]);
    if (unpacked.code !== 0) throw new BaseRevisionError(`cannot unpack the base revision: ${unpacked.stderr.trim()}`);
  } finally {
    rmSync(archive, { force: true });
  }
}
