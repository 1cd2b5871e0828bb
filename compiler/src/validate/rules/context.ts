// What a cross-reference rule sees: the schema-valid documents, indexed by name.
import type { Kind } from '../../schema/kinds.ts';
import type { SourceFile } from '../../source/read-tree.ts';
import type { DocumentsByKind, RegistryDocument } from '../registry-document.ts';

export interface RuleContext {
  readonly docs: DocumentsByKind;
  /** The first document of each kind by name (duplicates are reported separately). */
  byName<K extends Kind>(kind: K): ReadonlyMap<string, RegistryDocument<K>>;
  /** Files the registry refers to (local JWKS), by path relative to the root. */
  readonly referencedFiles: ReadonlyMap<string, SourceFile>;
  /** Whether a document of this kind and name exists but failed its schema (already reported). */
  isInvalid(kind: Kind, name: string): boolean;
}

export function ruleContext(
  docs: DocumentsByKind,
  referencedFiles: ReadonlyMap<string, SourceFile>,
  invalidNames: ReadonlyMap<Kind, ReadonlySet<string>> = new Map(),
): RuleContext {
  const cache = new Map<Kind, Map<string, RegistryDocument>>();
  return {
    docs,
    referencedFiles,
    isInvalid: (kind, name) => invalidNames.get(kind)?.has(name) ?? false,
    byName<K extends Kind>(kind: K) {
      let map = cache.get(kind);
      if (!map) {
        map = new Map();
        for (const doc of docs[kind] as readonly RegistryDocument[]) if (!map.has(doc.name)) map.set(doc.name, doc);
        cache.set(kind, map);
      }
      return map as unknown as ReadonlyMap<string, RegistryDocument<K>>;
    },
  };
}
