// The example repository compiled for tests of the control plane, which may not import the compiler
// itself (the artifact contract is all it shares with it).
import type { KeyObject } from 'node:crypto';
import { compile, type CompileResult } from '../compiler/src/pipeline/compile.ts';
import { SILENT } from '../compiler/src/pipeline/progress.ts';
import { PROJECT_ROOT } from '../toolchain/src/tools.ts';

/** Compiles the example registry and policies (Envoy's own validation skipped: tests run it elsewhere). */
export async function compileExample(revision: string, out?: string, signingKey?: KeyObject): Promise<CompileResult> {
  return compile({ root: PROJECT_ROOT, ...(out ? { out } : {}), revision, skipEnvoyValidate: true, ...(signingKey ? { signingKey } : {}) }, SILENT);
}
