// `gatehouse compile`: builds the policy bundle and the Envoy xDS, and writes them to OUT atomically.
import { resolve } from 'node:path';
import { hasErrors } from '../../compiler/src/diagnostics/diagnostic.ts';
import { formatDiagnostics } from '../../compiler/src/diagnostics/format.ts';
import { compile } from '../../compiler/src/pipeline/compile.ts';
import { progressPrinter } from '../../compiler/src/pipeline/progress.ts';
import { sourceRevision } from '../../compiler/src/source/revision.ts';
import { keyId } from '../../artifacts/src/signature.ts';
import { oneOf, parseFlags } from './args.ts';
import { signingKey } from './signing-keys.ts';

export const COMPILE_USAGE =
  'Usage: gatehouse compile [--root DIR] [--out DIR] [--revision REV] [--format text|json|sarif] [--skip-envoy-validate] [--sign-key FILE]';

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    root: { type: 'string' },
    out: { type: 'string' },
    revision: { type: 'string' },
    format: { type: 'string' },
    'skip-envoy-validate': { type: 'boolean' },
    'sign-key': { type: 'string' },
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
  // Read before compiling, so a bad key fails fast; also from $GATEHOUSE_SIGNING_KEY(_FILE).
  const key = signingKey(values['sign-key'], process.env);
  const skipEnvoyValidate = values['skip-envoy-validate'] ?? false;
  const result = await compile({ root, out, revision, skipEnvoyValidate, ...(key ? { signingKey: key } : {}) }, progress);
  const failed = hasErrors(result.diagnostics);
  if (failed || result.diagnostics.length > 0 || format !== 'text') process.stdout.write(formatDiagnostics(result.diagnostics, format));
  if (failed) {
    process.stderr.write(`gatehouse compile: failed; ${out} was left as it was\n`);
    return 1;
  }
  const signed = key ? `, signed with key ${keyId(key)}` : ', not signed';
  process.stderr.write(`gatehouse compile: wrote ${out} (version ${result.manifest?.version}, revision ${revision}${signed})\n`);
  return 0;
}
