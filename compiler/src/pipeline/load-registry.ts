// The front half of the pipeline, shared by lint and compile: sources → parsed YAML → schema-valid
// documents → cross-checked → IR. Pure apart from reading the files at the start.
import { dedupeDiagnostics, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Ir } from '../ir/types.ts';
import { buildIr } from '../resolve/build-ir.ts';
import { parseRegistryFiles } from '../source/parse-yaml.ts';
import { readReferencedFile, readTree, type SourceFile, type SourceTree } from '../source/read-tree.ts';
import { validateReferences } from '../validate/validate-references.ts';
import { validateSchemas } from '../validate/validate-schema.ts';
import type { Progress } from './progress.ts';

export interface LoadedRegistry {
  readonly tree: SourceTree;
  /** The IR, when the registry has no errors. */
  readonly ir?: Ir;
  readonly diagnostics: readonly Diagnostic[];
}

/** [impure: reads files] Loads and validates the registry under root. */
export function loadRegistry(root: string, progress: Progress): LoadedRegistry {
  const tree = progress.stage('read', () => readTree(root), (t) => `${t.files.length} files`);
  return checkRegistry(tree, (path) => readReferencedFile(root, path), progress);
}

/** The pure part of loading, given the source tree and a reader for files the registry refers to. */
export function checkRegistry(tree: SourceTree, readReferenced: (path: string) => SourceFile, progress: Progress): LoadedRegistry {
  const diagnostics: Diagnostic[] = [];
  const finish = (ir?: Ir): LoadedRegistry => {
    const sorted = sortDiagnostics(dedupeDiagnostics(diagnostics));
    return hasErrors(sorted) || !ir ? { tree, diagnostics: sorted } : { tree, ir, diagnostics: sorted };
  };
  if (tree.missing.includes('registry')) {
    diagnostics.push({
      code: 'no-registry',
      severity: 'error',
      message: `no registry/ folder under ${tree.root}`,
      hint: 'Run gatehouse from the repository root, or pass --root DIR.',
    });
    return finish();
  }
  const parsed = progress.stage('parse', () => parseRegistryFiles(tree.files), (p) => `${p.value?.length ?? 0} documents`);
  diagnostics.push(...parsed.diagnostics);
  const schema = progress.stage('validate', () => validateSchemas(parsed.value ?? []));
  diagnostics.push(...schema.diagnostics);
  const referenced = new Map<string, SourceFile>();
  for (const idp of schema.value.IdentityProvider) {
    const file = idp.spec.jwks.file;
    if (file && !referenced.has(file)) referenced.set(file, readReferenced(file));
  }
  // A file that does not parse may define anything: checking references now would only add noise.
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return finish();
  diagnostics.push(...progress.stage('resolve', () => validateReferences(schema.value, referenced, schema.invalidNames)));
  if (hasErrors(diagnostics)) return finish();
  const ir = progress.stage('ir', () => buildIr(schema.value, referenced));
  diagnostics.push(...ir.diagnostics);
  return finish(ir.value);
}
