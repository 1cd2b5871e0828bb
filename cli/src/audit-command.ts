// `gatehouse audit verify PATH`: checks an audit log, for one file or a folder of rotated files
// (every stream in it): the chain sealed with the audit key, and the anchors kept outside the log.
// Exit 0 when intact; 1 naming the first bad line and why.
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { StreamReport } from '../../audit/src/verify.ts';
import { verifyAuditPath } from '../../audit/src/verify-path.ts';
import { oneOf, parseFlags } from './args.ts';
import { UsageError } from './usage-error.ts';

export const AUDIT_USAGE =
  'Usage: gatehouse audit verify FILE|DIR [--key-file FILE] [--anchors DIR] [--legacy] [--head SHA256] [--format text|json]\n' +
  '  --key-file  the audit key (default: audit.key beside the audit folder)\n' +
  '  --anchors   the anchor folder (default: audit-anchors beside the audit folder)\n' +
  '  --legacy    check a v1 log (plain sha256, no key) instead of refusing it';

export function run(argv: readonly string[]): number {
  const { values, positionals } = parseFlags(
    argv,
    { head: { type: 'string' }, format: { type: 'string' }, 'key-file': { type: 'string' }, anchors: { type: 'string' }, legacy: { type: 'boolean' } },
    true,
  );
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
  const verified = verifyAuditPath(path, {
    ...(values['key-file'] ? { keyFile: resolve(values['key-file']) } : {}),
    ...(values.anchors ? { anchorDir: resolve(values.anchors) } : {}),
    ...(values.legacy ? { legacy: true } : {}),
    ...(values.head ? { expectHead: values.head } : {}),
  });
  if ('error' in verified) throw new UsageError(verified.error);
  const { streams, reports } = verified;
  if (streams.length === 0) {
    process.stderr.write(`gatehouse audit: no audit files (*.jsonl) in ${target}\n`);
    return 1;
  }
  if (values.head && streams.length > 1) throw new UsageError('--head applies to one stream; name its file or a folder holding only it');
  process.stdout.write(format === 'json' ? `${JSON.stringify(reports, null, 2)}\n` : reports.map(renderReport).join(''));
  return reports.every((r) => !r.problem) ? 0 : 1;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function renderReport(report: StreamReport): string {
  const files = `${report.files.length} file${report.files.length === 1 ? '' : 's'}`;
  if (report.problem) {
    const p = report.problem;
    return `FAILED  ${report.stream}: ${p.file}:${p.line}: ${p.kind}: ${p.message}\n        (${report.lines} lines before it verified, ${files})\n`;
  }
  const head = report.head ? `head ${report.head.seq} ${report.head.hash}` : 'empty';
  const anchored = report.anchored
    ? `anchored at ${report.anchored.seq} (${plural(report.anchored.linesAfter, 'line')} after it not provable against truncation)`
    : 'no anchor';
  const legacy = report.format === 'v1' ? 'LEGACY v1 (unkeyed: a rewrite would pass), ' : '';
  return `OK      ${report.stream}: ${legacy}${report.records} records, ${report.lines} lines, ${files}, ${head}, ${anchored}\n`;
}
