// `gatehouse report costs`: tool call costs per team and cost center, from audit files alone
// (each record carries the cost and cost center in force when it was decided). The log's hash
// chain is verified first (with the audit key and anchors beside the folder; a legacy v1 log by its
// plain chain); a broken chain is reported and the command exits 1 after the report.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AuditRequest } from '../../artifacts/src/audit/audit-line.ts';
import { parseJsonObject, splitLines } from '../../audit/src/line-checks.ts';
import type { AuditFileText, VerifyProblem } from '../../audit/src/verify.ts';
import { verifyAuditPath } from '../../audit/src/verify-path.ts';
import { summarizeCosts } from '../../audit/src/cost/cost-summary.ts';
import { parseWhen } from '../../audit/src/cost/parse-when.ts';
import { renderCosts } from '../../audit/src/cost/render-costs.ts';
import { oneOf, parseFlags } from './args.ts';
import { UsageError } from './usage-error.ts';

export const REPORT_USAGE =
  'Usage: gatehouse report costs [--audit DIR] [--key-file FILE] [--anchors DIR] [--since WHEN] [--until WHEN] [--format text|json|csv|html]';

const WHEN_HELP = 'WHEN: a date or time (2026-11-01, 2026-11-01T08:00:00Z) or a span back from now (90m, 24h, 7d).';

export function run(argv: readonly string[]): number {
  const { values, positionals } = parseFlags(
    argv,
    {
      audit: { type: 'string' }, 'key-file': { type: 'string' }, anchors: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' },
      format: { type: 'string' },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(`${REPORT_USAGE}\n${WHEN_HELP}\n`);
    return 0;
  }
  if (positionals[0] !== 'costs' || positionals.length > 1) {
    throw new UsageError(positionals[0] ? `unknown report "${positionals.join(' ')}"` : 'name the report: costs');
  }
  const format = oneOf('format', values.format, ['text', 'json', 'csv', 'html'] as const, 'text');
  const now = Date.now();
  const when = (flag: 'since' | 'until') => {
    const text = values[flag];
    if (text === undefined) return {};
    const parsed = parseWhen(text, now);
    if (!parsed) throw new UsageError(`--${flag} must be a date, a time or a span such as 7d (got "${text}")`);
    return { [flag]: parsed };
  };
  const dir = resolve(values.audit ?? '.gatehouse/audit');
  if (!existsSync(dir)) throw new UsageError(`no audit log at ${dir} (--audit names its folder)`);
  const records: AuditRequest[] = [];
  let intact = true;
  const verified = verifyAuditPath(dir, {
    legacy: true,
    ...(values['key-file'] ? { keyFile: resolve(values['key-file']) } : {}),
    ...(values.anchors ? { anchorDir: resolve(values.anchors) } : {}),
  });
  if ('error' in verified) throw new UsageError(verified.error);
  for (const [i, stream] of verified.streams.entries()) {
    const report = verified.reports[i];
    if (report?.problem) {
      intact = false;
      const p = report.problem;
      process.stderr.write(`gatehouse report: the audit log does not verify: ${stream.stream}: ${p.file}:${p.line}: ${p.kind}: ${p.message}\n`);
    }
    for (const line of verifiedLines(stream.files, report?.problem)) {
      const record = parseJsonObject(line);
      if (isRequestRecord(record)) records.push(record);
    }
  }
  process.stdout.write(renderCosts(summarizeCosts(records, { ...when('since'), ...when('until') }), format));
  return intact ? 0 : 1;
}

/** The lines before a stream's first problem: only verified records are priced. */
function verifiedLines(files: readonly AuditFileText[], problem: VerifyProblem | undefined): string[] {
  const at = problem ? files.findIndex((f) => f.name === problem.file) : -1;
  if (!problem || at < 0) return files.flatMap((f) => splitLines(f.text));
  const before = files.slice(0, at).flatMap((f) => splitLines(f.text));
  return [...before, ...splitLines(files[at]?.text ?? '').slice(0, problem.line - 1)];
}

/** A request record (the verification above has already checked the line against the audit format). */
function isRequestRecord(value: unknown): value is AuditRequest {
  return typeof value === 'object' && value !== null && 'type' in value && value.type === 'request';
}
