// `gatehouse audit verify PATH`: checks an audit log's hash chain, for one file or a folder of
// rotated files (every stream in it). Exit 0 when intact; 1 naming the first bad line and why.
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { readAuditStreams } from '../../audit/src/read-audit.ts';
import { verifyStream, type StreamReport } from '../../audit/src/verify.ts';
import { oneOf, parseFlags } from './args.ts';
import { UsageError } from './usage-error.ts';

export const AUDIT_USAGE = 'Usage: gatehouse audit verify FILE|DIR [--head SHA256] [--format text|json]';

export function run(argv: readonly string[]): number {
  const { values, positionals } = parseFlags(argv, { head: { type: 'string' }, format: { type: 'string' } }, true);
  if (values.help) {
    process.stdout.write(`${AUDIT_USAGE}\n`);
    return 0;
  }
  const [action, target, ...extra] = positionals;
  if (action !== 'verify') throw new UsageError(action ? `unknown action "${action}"` : 'say what to do: verify');
  if (!target || extra.length > 0) throw new UsageError('name one audit file or folder');
  if (values.head !== undefined && !/^[0-9a-f]{64}$/.test(values.head)) throw new UsageError('--head must be a sha256 in hex');
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  const path = resolve(target);
  if (!existsSync(path)) throw new UsageError(`${target} does not exist`);
  const streams = readAuditStreams(path);
  if (streams.length === 0) {
    process.stderr.write(`gatehouse audit: no audit files (*.jsonl) in ${target}\n`);
    return 1;
  }
  if (values.head && streams.length > 1) throw new UsageError('--head applies to one stream; name its file or a folder holding only it');
  const reports = streams.map((s) => verifyStream(s.stream, s.files, { standalone: s.standalone, ...(values.head ? { expectHead: values.head } : {}) }));
  process.stdout.write(format === 'json' ? `${JSON.stringify(reports, null, 2)}\n` : reports.map(renderReport).join(''));
  return reports.every((r) => !r.problem) ? 0 : 1;
}

function renderReport(report: StreamReport): string {
  const files = `${report.files.length} file${report.files.length === 1 ? '' : 's'}`;
  if (report.problem) {
    const p = report.problem;
    return `FAILED  ${report.stream}: ${p.file}:${p.line}: ${p.kind}: ${p.message}\n        (${report.lines} lines before it verified, ${files})\n`;
  }
  const head = report.head ? `head ${report.head.seq} ${report.head.hash}` : 'empty';
  return `OK      ${report.stream}: ${report.records} records, ${report.lines} lines, ${files}, ${head}\n`;
}
