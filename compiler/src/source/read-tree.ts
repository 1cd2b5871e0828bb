// [impure] Reads the registry and policy sources under a root folder.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** A source file: its path relative to the root (with `/`), and its text or why it could not be read. */
export interface SourceFile {
  readonly path: string;
  readonly kind: 'registry' | 'policy' | 'jwks';
  readonly text?: string;
  readonly readError?: string;
}

/** The sources of one repository. `missing` lists top-level folders that do not exist. */
export interface SourceTree {
  readonly root: string;
  readonly files: readonly SourceFile[];
  readonly missing: readonly string[];
}

const REGISTRY = 'registry';
const POLICIES = 'policies';

/** Reads `registry/**.yaml|yml` and `policies/**.rego` under root, sorted by path. */
export function readTree(root: string): SourceTree {
  const files: SourceFile[] = [];
  const missing: string[] = [];
  for (const [folder, kind, matches] of [
    [REGISTRY, 'registry', (name: string) => /\.ya?ml$/.test(name)],
    [POLICIES, 'policy', (name: string) => name.endsWith('.rego')],
  ] as const) {
    const dir = join(root, folder);
    if (!isDirectory(dir)) {
      missing.push(folder);
      continue;
    }
    for (const path of walk(dir)) {
      if (!matches(path)) continue;
      files.push(readSource(root, path, kind));
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root, files, missing };
}

/** Reads one more file referenced from the registry (a local JWKS), relative to the root. */
export function readReferencedFile(root: string, path: string): SourceFile {
  return readSource(root, join(root, path), 'jwks');
}

function readSource(root: string, path: string, kind: SourceFile['kind']): SourceFile {
  const rel = relative(root, path).split(sep).join('/');
  try {
    return { path: rel, kind, text: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    return { path: rel, kind, readError: code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'file not found' : code };
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function* walk(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile() || entry.isSymbolicLink()) yield path;
  }
}
