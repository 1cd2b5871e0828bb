// `gatehouse check`: lint, Rego checks, compile and the safety gates; with --base, the access and
// configuration diff against that git revision. Exit code 1 when an error-level gate fires (or lint
// or compile fails), 2 when the base revision cannot be read.
import { join, resolve } from 'node:path';
import { BaseRevisionError } from '../../review/src/check/base-revision.ts';
import { renderCheckMarkdown } from '../../review/src/check/render-markdown.ts';
import { renderCheckText } from '../../review/src/check/render-text.ts';
import { checkExitCode, type CheckReport } from '../../review/src/check/report.ts';
import { runCheck } from '../../review/src/check/run-check.ts';
import type { SecretsSource } from '../../review/src/check/unresolved-secrets.ts';
import { formatDiagnostics } from '../../compiler/src/diagnostics/format.ts';
import { progressPrinter } from '../../compiler/src/pipeline/progress.ts';
import { resolveSecrets, secretEnvName } from '../../xds-server/src/artifacts/secrets.ts';
import { oneOf, parseFlags } from './args.ts';

export const CHECK_USAGE =
  'Usage: gatehouse check [--root DIR] [--base GITREF] [--format text|json|sarif|markdown] [--skip-envoy-validate] [--secrets-dir DIR] [--live]';

export const CHECK_FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    root: { type: 'string' },
    base: { type: 'string' },
    format: { type: 'string' },
    'skip-envoy-validate': { type: 'boolean' },
    'secrets-dir': { type: 'string' },
    live: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${CHECK_USAGE}\n`);
    return 0;
  }
  const format = oneOf('format', values.format, CHECK_FORMATS, 'text');
  const root = resolve(values.root ?? '.');
  const progress = progressPrinter((line) => process.stderr.write(line), 'gatehouse check:');
  let report: CheckReport;
  try {
    report = await runCheck(
      {
        root,
        ...(values.base ? { base: values.base } : {}),
        skipEnvoyValidate: values['skip-envoy-validate'] ?? false,
        ...(values['secrets-dir'] !== undefined ? { secrets: controlPlaneSecrets(resolve(values['secrets-dir']), process.env) } : {}),
        ...(values.live === true ? { live: { secret: liveSecret(values['secrets-dir'], process.env) } } : {}),
      },
      progress,
    );
  } catch (error) {
    if (!(error instanceof BaseRevisionError)) throw error;
    process.stderr.write(`gatehouse check: ${error.message}\n`);
    return 2;
  }
  process.stdout.write(renderReport(report, format));
  const { errors, warnings } = report.summary;
  const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  process.stderr.write(`gatehouse check: ${errors > 0 ? 'failed' : 'passed'} (${counts})\n`);
  return checkExitCode(report);
}

/** The secrets source `serve --secrets-dir DIR` reads: a file named after the reference in DIR, else GATEHOUSE_SECRET_<NAME>. */
export function controlPlaneSecrets(dir: string, env: NodeJS.ProcessEnv): SecretsSource {
  return {
    resolvable: (refs) => new Set(resolveSecrets(refs, dir, env).keys()),
    howToProvide: (ref) => `the file ${join(dir, ref)} or the environment variable ${secretEnvName(ref)}`,
  };
}

/** How `check --live` finds a server's credential: as the control plane does (serve --secrets-dir). */
function liveSecret(secretsDir: string | undefined, env: NodeJS.ProcessEnv): (ref: string) => string | undefined {
  const dir = secretsDir === undefined ? undefined : resolve(secretsDir);
  return (ref) => resolveSecrets([ref], dir, env).get(ref);
}

/** The report in one of the output formats. */
export function renderReport(report: CheckReport, format: (typeof CHECK_FORMATS)[number]): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'sarif':
      return formatDiagnostics(report.diagnostics, 'sarif');
    case 'markdown':
      return renderCheckMarkdown(report);
    case 'text':
      return renderCheckText(report);
  }
}
