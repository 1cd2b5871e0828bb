// [impure] Reads the registry and policy sources under a root folder. Every file read must resolve
// (links followed) to a regular file inside the root and be at most MAX_FILE_BYTES: a link in registry/
// or a `jwks.file: ../../x` must not pull a file from elsewhere on the machine into the artifacts.
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { MAX_FILE_BYTES, formatBytes } from './limits.ts';

/** Why a file was refused before reading it. */
export type Refusal = 'path-outside-root' | 'file-too-large';

/**
 * A source file: its path relative to the root (with `/`), and its text or why it could not be read.
 * `refused` says the file was not read on purpose (outside the root, or too large); `readError` then says why.
 */
export interface SourceFile {
  readonly path: string;
  readonly kind: 'registry' | 'policy' | 'jwks';
  readonly text?: string;
  readonly readError?: string;
  readonly refused?: Refusal;
}

/**
 * The sources of one repository. `missing` lists top-level folders that do not exist; `refused` holds a
 * diagnostic for each file under registry/ or policies/ that was not read (and is not in `files`).
 */
export interface SourceTree {
  readonly root: string;
  readonly files: readonly SourceFile[];
  readonly missing: readonly string[];
  readonly refused: readonly Diagnostic[];
}

const REGISTRY = 'registry';
const POLICIES = 'policies';

/** Reads `registry/**.yaml|yml` and `policies/**.rego` under root, sorted by path. */
export function readTree(root: string): SourceTree {
  const files: SourceFile[] = [];
  const refused: Diagnostic[] = [];
  const missing: string[] = [];
  const realRoot = realRootOf(root);
  for (const [folder, kind, matches] of [
    // `*.lock.yaml` (registry/tools.lock.yaml, the reviewed tool definitions) is a lock file, not a registry document.
    [REGISTRY, 'registry', (name: string) => /\.ya?ml$/.test(name) && !/\.lock\.ya?ml$/.test(name)],
    [POLICIES, 'policy', (name: string) => name.endsWith('.rego')],
  ] as const) {
    const dir = join(root, folder);
    if (!isDirectory(dir)) {
      missing.push(folder);
      continue;
    }
    for (const path of walk(dir)) {
      if (!matches(path)) continue;
      const file = readSource(root, realRoot, path, kind);
      if (file.refused) refused.push(refusalDiagnostic(file, file.refused));
      else files.push(file);
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root, files, missing, refused };
}

/**
 * Reads one more file referenced from the registry (a local JWKS) by its path relative to the root.
 * An absolute path, or one that leaves the root (through `..` or a link), is refused unread.
 */
export function readReferencedFile(root: string, path: string): SourceFile {
  if (isAbsolute(path)) {
    return { path, kind: 'jwks', refused: 'path-outside-root', readError: 'an absolute path; give a path relative to the repository root' };
  }
  return readSource(root, realRootOf(root), join(root, path), 'jwks');
}

function readSource(root: string, realRoot: string, path: string, kind: SourceFile['kind']): SourceFile {
  const rel = relative(root, path).split(sep).join('/');
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    return { path: rel, kind, readError: describeError(error) };
  }
  if (!isInside(realRoot, real)) {
    return { path: rel, kind, refused: 'path-outside-root', readError: 'it resolves to a file outside the repository root' };
  }
  try {
    const read = readBounded(real);
    if (read.size !== undefined) {
      return { path: rel, kind, refused: 'file-too-large', readError: `it is ${formatBytes(read.size)}, over the ${formatBytes(MAX_FILE_BYTES)} limit` };
    }
    return read.text === undefined ? { path: rel, kind, readError: 'not a regular file' } : { path: rel, kind, text: read.text };
  } catch (error) {
    return { path: rel, kind, readError: describeError(error) };
  }
}

/**
 * The text of a regular file of at most MAX_FILE_BYTES, or its size when larger. Never reads more than the
 * limit (a file growing between the size check and the read is cut off and refused), and opens without
 * blocking, so a FIFO is reported rather than waited on.
 */
function readBounded(path: string): { text?: string; size?: number } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return {};
    if (stat.size > MAX_FILE_BYTES) return { size: stat.size };
    const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_FILE_BYTES) return { size: length };
    return { text: buffer.subarray(0, length).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

function refusalDiagnostic(file: SourceFile, code: Refusal): Diagnostic {
  return {
    code,
    severity: 'error',
    message: `${file.path} was not read: ${file.readError ?? code}`,
    location: { file: file.path, line: 1, column: 1 },
    hint:
      code === 'path-outside-root'
        ? 'Keep registry and policy files inside the repository; replace the link with the file itself.'
        : `Split the file: each registry or policy file may hold at most ${formatBytes(MAX_FILE_BYTES)}.`,
  };
}

function realRootOf(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return root;
  }
}

function isInside(realRoot: string, real: string): boolean {
  const rel = relative(realRoot, real);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  return code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'file not found' : code;
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
