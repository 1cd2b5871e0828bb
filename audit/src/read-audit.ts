// [impure] Reads audit files: one file, or a folder of rotated streams (`<stream>-<index>.jsonl`),
// grouped by stream, oldest file first; and the audit key and a stream's anchor file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { anchorFileName, readAnchors, type AnchorFile } from '../../artifacts/src/audit/audit-anchor.ts';
import { parseAuditFileName } from '../../artifacts/src/audit/audit-files.ts';
import { parseAuditKey, type AuditKey } from '../../artifacts/src/audit/audit-key.ts';
import type { AuditFileText } from './verify.ts';

export interface AuditStreamFiles {
  readonly stream: string;
  readonly files: readonly AuditFileText[];
  /** True when a single file was named: it may start in the middle of its log. */
  readonly standalone: boolean;
}

export function readAuditStreams(path: string): AuditStreamFiles[] {
  if (!statSync(path).isDirectory()) {
    const name = basename(path);
    return [{ stream: parseAuditFileName(name)?.stream ?? name, files: [{ name, text: readFileSync(path, 'utf8') }], standalone: true }];
  }
  const byStream = new Map<string, { name: string; index: number }[]>();
  for (const name of readdirSync(path).filter((n) => n.endsWith('.jsonl')).sort()) {
    const parsed = parseAuditFileName(name) ?? { stream: name, index: 0 };
    byStream.set(parsed.stream, [...(byStream.get(parsed.stream) ?? []), { name, index: parsed.index }]);
  }
  return [...byStream]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([stream, files]) => ({
      stream,
      files: files.sort((a, b) => a.index - b.index).map((f) => ({ name: f.name, text: readFileSync(join(path, f.name), 'utf8') })),
      standalone: false,
    }));
}

/** A stream's anchor file in `anchorDir`: where it was looked for and, when it exists, what it holds. */
export function readAnchorFile(anchorDir: string, stream: string): { path: string; file?: AnchorFile } {
  const path = join(anchorDir, anchorFileName(stream));
  return existsSync(path) ? { path, file: readAnchors(readFileSync(path, 'utf8'), stream) } : { path };
}

/** The audit key in a key file: undefined when there is no such file, or why it is not a key. */
export function readAuditKey(path: string): AuditKey | { readonly error: string } | undefined {
  return existsSync(path) ? parseAuditKey(readFileSync(path, 'utf8')) : undefined;
}
