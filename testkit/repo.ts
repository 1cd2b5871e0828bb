// Temporary copies of the example repository (registry/ and policies/), with edits, for tests.
import { cpSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../toolchain/src/tools.ts';

/** File edits: new content, or null to delete. Paths are relative to the repository root. */
export type RepoEdits = Readonly<Record<string, string | null>>;

export const EXAMPLE_ROOT = PROJECT_ROOT;

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix = 'gatehouse-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Copies the example registry and policies into `into`, then applies the edits. */
export function copyExampleRepo(into: string, edits: RepoEdits = {}, transform?: (path: string, text: string) => string): string {
  // apis/ holds the OpenAPI documents registry servers name.
  for (const folder of ['registry', 'policies', 'apis']) {
    cpSync(join(EXAMPLE_ROOT, folder), join(into, folder), { recursive: true });
  }
  if (transform) {
    for (const file of walk(join(into, 'registry'))) writeFileSync(file, transform(file, readFileSync(file, 'utf8')));
  }
  applyEdits(into, edits);
  return into;
}

export function applyEdits(root: string, edits: RepoEdits): void {
  for (const [path, content] of Object.entries(edits)) {
    const target = join(root, path);
    if (content === null) {
      rmSync(target, { recursive: true, force: true });
    } else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  }
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** A listing of every file under dir with its content, to prove a folder was left untouched. */
export function snapshotFolder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string, prefix: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) visit(path, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = readFileSync(path).toString('base64');
    }
  };
  visit(dir, '');
  return out;
}
