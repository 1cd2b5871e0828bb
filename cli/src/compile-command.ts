// `gatehouse compile`: builds the policy bundle and the Envoy xDS, and writes them to OUT atomically.
import { resolve } from 'node:path';
import { hasErrors } from '../../compiler/src/diagnostics/diagnostic.ts';
import { formatDiagnostics } from '../../compiler/src/diagnostics/format.ts';
import { compile } from '../../compiler/src/pipeline/compile.ts';
import { progressPrinter } from '../../compiler/src/pipeline/progress.ts';
import { sourceRevision } from '../../compiler/src/source/revision.ts';
import { oneOf, parseFlags } from './args.ts';

export const COMPILE_USAGE = 'Usage: gatehouse compile [--root DIR] [--out DIR] [--revision REV] [--format text|json|sarif] [--skip-envoy-validate]';

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    root: { type: 'string' },
    out: { type: 'string' },
    revision: { type: 'string' },
    format: { type: 'string' },
    'skip-envoy-validate': { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${COMPILE_USAGE}\n`);
    return 0;
  }
  const format = oneOf('format', values.format, ['text', 'json', 'sarif'] as const, 'text');
  const root = resolve(values.root ?? '.');
  const out = resolve(root, values.out ?? 'dist');
  const progress = progressPrinter((line) => process.stderr.write(line), 'gatehouse compile:');
  const revision = values.revision ?? (await sourceRevision(root));
  const result = await compile({ root, out, revision, skipEnvoyValidate: values['skip-envoy-validate'] ?? false }, progress);
  const failed = hasErrors(result.diagnostics);
  if (failed || result.diagnostics.length > 0 || format !== 'text') process.stdout.write(formatDiagnostics(result.diagnostics, format));
  if (failed) {
    process.stderr.write(`gatehouse compile: failed; ${out} was left as it was\n`);
    return 1;
  }
  process.stderr.write(`gatehouse compile: wrote ${out} (version ${result.manifest?.version}, revision ${revision})\n`);
  return 0;
}
