// Audit file names: `<stream>-<index>.jsonl`, the index zero-padded to six digits so a plain
// sort orders a stream's files. A stream is one gateway's log, or, when several control-plane
// replicas serve the gateway, one replica's part of it (`<gateway>.<replica>`): each replica
// writes its own chain, so no two processes ever append to the same file.

const FILE = /^([a-z0-9][a-z0-9.-]*?)-(\d{6,})\.jsonl$/;

/** The stream of a gateway's records written by one replica (the gateway's name alone when there is no replica id). */
export function auditStreamName(gateway: string, replica?: string): string {
  return replica ? `${gateway}.${replica}` : gateway;
}

export function auditFileName(stream: string, index: number): string {
  return `${stream}-${String(index).padStart(6, '0')}.jsonl`;
}

/** The stream and index of an audit file name, or undefined for any other name. */
export function parseAuditFileName(name: string): { stream: string; index: number } | undefined {
  const match = FILE.exec(name);
  const [, stream, index] = match ?? [];
  return stream && index ? { stream, index: Number(index) } : undefined;
}
