// Audit file names: `<stream>-<index>.jsonl`, the index zero-padded to six digits so a plain
// sort orders a stream's files. A stream is one gateway's log.

const FILE = /^([a-z0-9][a-z0-9-]*?)-(\d{6,})\.jsonl$/;

export function auditFileName(stream: string, index: number): string {
  return `${stream}-${String(index).padStart(6, '0')}.jsonl`;
}

/** The stream and index of an audit file name, or undefined for any other name. */
export function parseAuditFileName(name: string): { stream: string; index: number } | undefined {
  const match = FILE.exec(name);
  const [, stream, index] = match ?? [];
  return stream && index ? { stream, index: Number(index) } : undefined;
}
