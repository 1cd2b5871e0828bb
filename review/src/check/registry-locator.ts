// Finds where a field of a registry document is (file:line:column), so a gate can point at the exact
// line that causes a finding: a grant's subject, a tool selector, a server's upstream URL.
import type { SourceLocation } from '../../../compiler/src/diagnostics/diagnostic.ts';
import type { Kind } from '../../../compiler/src/schema/kinds.ts';
import { parseRegistryFiles, type NodePath, type ParsedDocument } from '../../../compiler/src/source/parse-yaml.ts';
import type { SourceFile } from '../../../compiler/src/source/read-tree.ts';

export interface RegistryLocator {
  /** Where the node at `path` under the document's `spec` is; undefined when there is no such document. */
  at(kind: Kind, name: string, path: NodePath, key?: boolean): SourceLocation | undefined;
  /** Where the item equal to `item` in the list at `path` under `spec` is, else the list itself. */
  item(kind: Kind, name: string, path: NodePath, item: string): SourceLocation | undefined;
}

/** A locator over the registry files of one revision (parsed again; parsing is cheap and pure). */
export function registryLocator(files: readonly SourceFile[]): RegistryLocator {
  const documents = new Map<string, ParsedDocument>();
  for (const doc of parseRegistryFiles(files).value ?? []) {
    const record = doc.value as { kind?: unknown; metadata?: { name?: unknown } } | null;
    const key = `${String(record?.kind)}/${String(record?.metadata?.name)}`;
    if (!documents.has(key)) documents.set(key, doc);
  }
  const find = (kind: Kind, name: string) => documents.get(`${kind}/${name}`);
  return {
    at: (kind, name, path, key) => find(kind, name)?.locate(['spec', ...path], key),
    item(kind, name, path, item) {
      const doc = find(kind, name);
      if (!doc) return undefined;
      let node: unknown = (doc.value as { spec?: unknown }).spec;
      for (const segment of path) node = (node as Record<string | number, unknown> | undefined)?.[segment];
      const index = Array.isArray(node) ? node.indexOf(item) : -1;
      return doc.locate(['spec', ...path, ...(index >= 0 ? [index] : [])]);
    },
  };
}
