// A registry document that passed its schema: typed, named, and still able to say where each field is.
import type { SourceLocation } from '../diagnostics/diagnostic.ts';
import type { NodePath } from '../source/parse-yaml.ts';
import type { Kind, SpecByKind } from '../schema/kinds.ts';

export interface RegistryDocument<K extends Kind = Kind> {
  readonly kind: K;
  readonly name: string;
  readonly spec: SpecByKind[K];
  readonly file: string;
  /** Where the document's `metadata.name` is. */
  readonly location: SourceLocation;
  /** Where the node at a path under `spec` is. */
  at(path: NodePath, key?: boolean): SourceLocation;
}

/** The valid documents, by kind. */
export type DocumentsByKind = { readonly [K in Kind]: readonly RegistryDocument<K>[] };
