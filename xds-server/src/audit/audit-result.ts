// What a tools/call's audit record keeps of its result (the tool's `audit.results`): nothing, the
// digest of the redacted result (sha256 of its canonical JSON, as for arguments), or the redacted
// result itself up to a size cap, cut and marked beyond it.
import { canonicalJson } from '../../../artifacts/src/audit/canonical-json.ts';
import { sha256Hex, type AuditResult, type ResultMode } from '../../../artifacts/src/audit/audit-line.ts';
import { redactArguments } from './redact.ts';

export interface ResultRetention {
  readonly mode: ResultMode;
  /** The largest payload kept whole, in bytes of canonical JSON. */
  readonly maxBytes: number;
  /** Paths into the result replaced before the digest is taken (redact.ts syntax). */
  readonly redact: readonly string[];
}

export function auditResult(result: unknown, retention: ResultRetention): AuditResult | undefined {
  if (retention.mode === 'none') return undefined;
  const redacted = redactArguments(result, retention.redact);
  const text = canonicalJson(redacted);
  const bytes = Buffer.byteLength(text);
  const digest = `sha256:${sha256Hex(text)}`;
  if (retention.mode === 'digest') return { mode: 'digest', digest, bytes };
  if (bytes <= retention.maxBytes) return { mode: 'payload', digest, bytes, value: redacted };
  return { mode: 'payload', digest, bytes, value: cutUtf8(text, retention.maxBytes), truncated: true };
}

/** The longest prefix of `text` within `maxBytes` bytes that does not split a character. */
function cutUtf8(text: string, maxBytes: number): string {
  const cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8');
  return cut.endsWith('\uFFFD') ? cut.slice(0, -1) : cut;
}
