// `gatehouse lint`: validates the registry and checks the policies; writes nothing.
import { resolve } from 'node:path';
import { hasErrors, sortDiagnostics } from '../../compiler/src/diagnostics/diagnostic.ts';
import { formatDiagnostics } from '../../compiler/src/diagnostics/format.ts';
import { opaCheck } from '../../compiler/src/emit/policy/opa.ts';
import { loadRegistry } from '../../compiler/src/pipeline/load-registry.ts';
import { progressPrinter } from '../../compiler/src/pipeline/progress.ts';
import { oneOf, parseFlags } from './args.ts';

export const LINT_USAGE = 'Usage: gatehouse lint [--root DIR] [--format text|json|sarif]';

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, { root: { type: 'string' }, format: { type: 'string' } });
  if (values.help) {
    process.stdout.write(`${LINT_USAGE}\n`);
    return 0;
  }
  const format = oneOf('format', values.format, ['text', 'json', 'sarif'] as const, 'text');
  const root = resolve(values.root ?? '.');
  const progress = progressPrinter((line) => process.stderr.write(line), 'gatehouse lint:');
  const loaded = loadRegistry(root, progress);
  const policyFiles = loaded.tree.files.filter((f) => f.kind === 'policy');
  const rego = await progress.stageAsync('rego check', () => opaCheck(policyFiles), (d) => `${policyFiles.length} files, ${d.length} problems`);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...rego]);
  process.stdout.write(formatDiagnostics(diagnostics, format));
  return hasErrors(diagnostics) ? 1 : 0;
}
