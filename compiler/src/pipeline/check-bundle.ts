// The built policy bundle must load, evaluate, and need no host builtin that neither the SDK nor
// Gatehouse provides.
import { unavailableBuiltins } from '../../../artifacts/src/policy/builtins.ts';
import { PolicyEngine, TOOLS_ENTRYPOINT } from '../../../artifacts/src/policy/engine.ts';
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.ts';

interface PolicyText {
  readonly path: string;
  readonly text?: string;
}

export async function checkBundle(bundle: Buffer, policyFiles: readonly PolicyText[]): Promise<Diagnostic[]> {
  let engine: PolicyEngine;
  try {
    engine = await PolicyEngine.load(bundle);
  } catch (error) {
    return [{ code: 'bundle-invalid', severity: 'error', message: `the policy bundle does not load: ${messageOf(error)}` }];
  }
  const missing = unavailableBuiltins(engine.requiredHostBuiltins());
  const diagnostics: Diagnostic[] = missing.map((name) => ({
    code: 'wasm-builtin',
    severity: 'error',
    message: `the policy calls ${name}, which OPA's WebAssembly target does not implement`,
    ...locateCall(name, policyFiles),
    hint: 'Rewrite the rule without it (see docs/policy-contract.md for the builtins available in Wasm).',
  }));
  if (diagnostics.length > 0) return diagnostics;
  try {
    engine.evaluate(TOOLS_ENTRYPOINT, {});
  } catch (error) {
    diagnostics.push({ code: 'bundle-invalid', severity: 'error', message: messageOf(error) });
  }
  return diagnostics;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first line of a non-test policy that calls `name(`, to point the diagnostic at it. */
function locateCall(name: string, files: readonly PolicyText[]): { location?: SourceLocation } {
  for (const file of files) {
    if (file.path.endsWith('_test.rego') || !file.text) continue;
    const lines = file.text.split('\n');
    for (const [index, line] of lines.entries()) {
      const column = line.indexOf(`${name}(`);
      if (column >= 0) return { location: { file: file.path, line: index + 1, column: column + 1 } };
    }
  }
  return {};
}
