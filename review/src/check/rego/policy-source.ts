// Which source files are organisation policy: Rego files that are not tests and that could be read.
import type { SourceFile } from '../../../../compiler/src/source/read-tree.ts';

/** A policy file whose text was read. */
export type PolicySource = SourceFile & { readonly text: string };

export function isPolicySource(file: SourceFile): file is PolicySource {
  return file.path.endsWith('.rego') && !file.path.endsWith('_test.rego') && file.text !== undefined;
}
