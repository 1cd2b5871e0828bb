// Every finding of a check report points at a file: code scanning (SARIF) places a result at a file
// and line, and a folder (`policies`, where opa or Regal gave no file) or no location at all is
// rejected or shown nowhere. Such findings are anchored at the registry's CheckSettings document,
// else its first file: the place a reviewer starts from. The message still says what it is about.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic, SourceLocation } from '../../../compiler/src/diagnostics/diagnostic.ts';
import type { SourceTree } from '../../../compiler/src/source/read-tree.ts';

export function anchorToFiles(diagnostics: readonly Diagnostic[], tree: SourceTree, settingsSource?: SourceLocation): Diagnostic[] {
  const fallback = settingsSource?.file ?? tree.files.find((f) => f.kind === 'registry')?.path ?? tree.files[0]?.path;
  if (!fallback) return [...diagnostics];
  return diagnostics.map((d) =>
    d.location && isFile(tree.root, d.location.file) ? d : { ...d, location: { file: fallback, line: settingsSource?.line ?? 1, column: 1 } },
  );
}

function isFile(root: string, path: string): boolean {
  try {
    return statSync(join(root, path)).isFile();
  } catch {
    // A file that is not on disk (a base-policy file, a deleted file the base revision had) is still a file path.
    return path !== '' && path !== '.' && !path.endsWith('/');
  }
}
