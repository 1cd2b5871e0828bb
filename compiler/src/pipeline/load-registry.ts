// The front half of the pipeline, shared by lint and compile, as a table of stages (registry-stages.ts):
// read -> parse -> validate -> resolve -> ir. Pure apart from reading the files.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Ir } from '../ir/types.ts';
import { readReferencedFile, type SourceTree } from '../source/read-tree.ts';
import type { Progress } from './progress.ts';
import { BUILD_IR, OPENAPI, PARSE, READ, RESOLVE, VALIDATE, type RegistryInput } from './registry-stages.ts';
import { runStagesSync } from './run-stages.ts';
import { StageTable } from './stages.ts';

export interface LoadedRegistry {
  readonly tree: SourceTree;
  /** The IR, when the registry has no errors. */
  readonly ir?: Ir;
  readonly diagnostics: readonly Diagnostic[];
}

/** Which stage ends the run is in each stage's comment (registry-stages.ts). */
export const REGISTRY_STAGES = StageTable.start<RegistryInput>().then(READ).then(PARSE).then(VALIDATE).then(OPENAPI).then(RESOLVE).then(BUILD_IR);

/** [impure: reads files] Loads and validates the registry under root. */
export function loadRegistry(root: string, progress: Progress): LoadedRegistry {
  const outcome = runStagesSync(REGISTRY_STAGES, { root, readReferenced: (path) => readReferencedFile(root, path) }, progress);
  const { tree, ir } = outcome.reached;
  // Reading never ends the run, so the tree is always there.
  if (!tree) throw new Error('loadRegistry: the read stage did not run');
  return ir ? { tree, ir, diagnostics: outcome.diagnostics } : { tree, diagnostics: outcome.diagnostics };
}
