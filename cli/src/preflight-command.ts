// `gatehouse preflight`: the 12-point pre-deployment checklist over the registry, a compiled artifact
// set (--artifacts) and a running control plane (--live). Exit 1 when a point fails, so CI can gate
// a deployment on it; 2 when the registry does not compile (no point can be judged).
import { resolve } from 'node:path';
import { formatDiagnostics } from '../../compiler/src/diagnostics/format.ts';
import { progressPrinter } from '../../compiler/src/pipeline/progress.ts';
import { PREFLIGHT_FORMATS, renderPreflight } from '../../review/src/preflight/render.ts';
import { preflightExitCode } from '../../review/src/preflight/report.ts';
import { runPreflight } from '../../review/src/preflight/run-preflight.ts';
import { readAdminToken } from './admin-token.ts';
import { oneOf, parseFlags } from './args.ts';
import { trustedKeys } from './signing-keys.ts';

export const PREFLIGHT_USAGE =
  'Usage: gatehouse preflight [--root DIR] [--artifacts DIR] [--trusted-key FILE]… [--live URL] [--admin-token-file FILE] [--format text|json|markdown|html]';

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    root: { type: 'string' },
    artifacts: { type: 'string' },
    'trusted-key': { type: 'string', multiple: true },
    live: { type: 'string' },
    'admin-token-file': { type: 'string' },
    format: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(`${PREFLIGHT_USAGE}\n`);
    return 0;
  }
  const format = oneOf('format', values.format, PREFLIGHT_FORMATS, 'text');
  const token = values['admin-token-file'] === undefined ? undefined : readAdminToken(values['admin-token-file']);
  const result = await runPreflight(
    {
      root: resolve(values.root ?? '.'),
      ...(values.artifacts ? { artifacts: resolve(values.artifacts) } : {}),
      ...(values['trusted-key']?.length ? { trustedKeys: trustedKeys(values['trusted-key']) } : {}),
      ...(values.live ? { live: { url: values.live, ...(token ? { token } : {}) } } : {}),
    },
    progressPrinter((line) => process.stderr.write(line), 'gatehouse preflight:'),
  );
  if ('diagnostics' in result) {
    process.stderr.write(formatDiagnostics(result.diagnostics, 'text'));
    process.stderr.write('gatehouse preflight: the registry does not compile; fix it first (gatehouse lint)\n');
    return 2;
  }
  process.stdout.write(renderPreflight(result, format));
  const { summary } = result;
  process.stderr.write(`gatehouse preflight: ${summary.failed > 0 ? 'failed' : 'passed'} (${summary.passed} passed, ${summary.failed} failed, ` +
    `${summary.notApplicable} not applicable)\n`);
  return preflightExitCode(result);
}
