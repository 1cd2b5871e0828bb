// [impure] Gatehouse's base policy: the Rego of package `gatehouse.*` that ships inside the Gatehouse
// package and is built together with every repository's own rules (policies/). A repository never holds
// a copy, so the base policy is always the one of the Gatehouse version the repository pins.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { basePolicyDir } from '../../../toolchain/src/package-root.ts';
import type { SourceFile } from './read-tree.ts';

/** The folder the base policy files are placed in beside a repository's policies/ (paths in OPA's workspace). */
export const BASE_POLICY_FOLDER = 'base-policy';

/**
 * Which base policy files a run needs:
 * - `build`: the rules only (what goes in the bundle, what `opa check` sees beside the repository's rules);
 * - `repository-tests`: the rules and `gatehouse/testdata/` (fixtures a repository's tests may import);
 * - `own-tests`: everything, Gatehouse's own tests included (they carry their own organisation rule fixture).
 */
export type BasePolicyUse = 'build' | 'repository-tests' | 'own-tests';

const cache = new Map<string, readonly SourceFile[]>();

/** The base policy's `.rego` files, with paths `base-policy/gatehouse/...`, sorted. */
export function readBasePolicy(use: BasePolicyUse, dir: string = basePolicyDir()): readonly SourceFile[] {
  let all = cache.get(dir);
  if (!all) {
    all = [...walk(dir)]
      .filter((path) => path.endsWith('.rego'))
      .map((path) => {
        const rel = relative(dir, path).split(sep).join('/');
        return { path: `${BASE_POLICY_FOLDER}/${rel}`, kind: 'policy' as const, text: readFileSync(path, 'utf8') };
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    cache.set(dir, all);
  }
  return all.filter((file) => wanted(file.path, use));
}

function wanted(path: string, use: BasePolicyUse): boolean {
  if (use === 'own-tests' || !path.endsWith('_test.rego')) return true;
  return use === 'repository-tests' && path.startsWith(`${BASE_POLICY_FOLDER}/gatehouse/testdata/`);
}

/** Whether a source file is one of the base policy's (rather than the repository's). */
export function isBasePolicyFile(path: string): boolean {
  return path.startsWith(`${BASE_POLICY_FOLDER}/`);
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}
