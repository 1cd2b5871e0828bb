// The lines of an audit log: one JSON object per line, in canonical JSON, each carrying its place
// in the chain (seq, prev, hash). Format v2 (the one written): `hash` is HMAC-SHA256, under the
// audit key (audit-key.ts), of the line's RFC 8785 canonical JSON without `hash`, so only a holder
// of the key can make a line that verifies; `prev` is the hash of the line before it (in the same
// file or, for a file's header, the last line of the file before); the very first line of a log has
// prev = GENESIS. The header of each file names the format. Format v1 (legacy, only verified):
// `hash` was a plain sha256 of the v1 canonical form, which anyone could recompute.
import { createHash, createHmac } from 'node:crypto';
import type { AuditKey } from './audit-key.ts';
import { canonicalJson, legacyCanonicalJson } from './canonical-json.ts';
import type { GuardrailHit } from '../guardrails/guardrail-set.ts';

export const AUDIT_FORMAT = 'gatehouse.dev/audit/v2';
export const LEGACY_AUDIT_FORMAT = 'gatehouse.dev/audit/v1';
export type AuditFormat = typeof AUDIT_FORMAT | typeof LEGACY_AUDIT_FORMAT;
export const GENESIS = '0'.repeat(64);

/** How a tool call's arguments appear in its record (the registry decides, per tool). */
export type ArgumentMode = 'digest' | 'redacted' | 'raw';
export const ARGUMENT_MODES: readonly ArgumentMode[] = ['digest', 'redacted', 'raw'];

/** What the policy service decided: allow/deny; `rejected` = Envoy refused before the policy ran; `none` = a public route. */
export type AuditDecision = 'allow' | 'deny' | 'rejected' | 'none';

/** One request through the gateway. */
export interface AuditRequest {
  readonly type: 'request';
  /** When Envoy received the request (RFC 3339, UTC). */
  readonly time: string;
  readonly request_id: string;
  /** The W3C trace id the request was traced under, when there was one. */
  readonly trace_id: string | null;
  readonly gateway: string;
  /** The Envoy node that served it. */
  readonly node: string;
  readonly subject: { readonly sub: string | null; readonly email: string | null };
  /** The team the request is attributed to (docs/observability.md#team-attribution). */
  readonly team: string | null;
  readonly teams: readonly string[];
  readonly virtual_server: string | null;
  readonly server: string | null;
  readonly tool: string | null;
  /** The tool name the client used (`<server>__<tool>` on aggregated virtual servers). */
  readonly public_tool: string | null;
  readonly method: string | null;
  readonly jsonrpc_id: string | number | null;
  readonly arguments: AuditArguments | null;
  readonly http: { readonly method: string; readonly path: string; readonly status: number; readonly details: string };
  readonly jsonrpc_error: { readonly code: number; readonly message: string } | null;
  readonly latency_ms: number;
  readonly bytes: { readonly received: number; readonly sent: number };
  readonly decision: AuditDecision;
  readonly reasons: readonly string[];
  readonly cost: number;
  readonly cost_center: string | null;
  /** The artifact version whose policy decided (and priced) the request. */
  readonly policy_version: string | null;
  /** What the guardrails found in the call's arguments and result and did about it (never the matched text); absent when nothing. */
  readonly guardrails?: readonly GuardrailHit[];
}

export interface AuditArguments {
  /** `sha256:<hex>` of the canonical JSON of the redacted arguments. */
  readonly digest: string;
  readonly mode: ArgumentMode;
  /** The redacted (mode `redacted`) or raw (mode `raw`) arguments; absent in mode `digest`. */
  readonly value?: unknown;
}

/** First line of every file. `records` counts the request records of the log before this file. */
export interface AuditHeader {
  readonly type: 'header';
  readonly format: typeof AUDIT_FORMAT;
  /** Which key seals the file (audit-key.ts): a verifier holding another key says so. */
  readonly key_id: string;
  readonly stream: string;
  readonly file: string;
  readonly file_index: number;
  readonly records: number;
  readonly time: string;
}

export type CheckpointReason = 'interval' | 'records' | 'rotate' | 'shutdown' | 'start';

/** The running count at a point of the log; a rotated file ends with one (reason `rotate`). */
export interface AuditCheckpoint {
  readonly type: 'checkpoint';
  readonly reason: CheckpointReason;
  /** Request records in the whole log so far. */
  readonly records: number;
  /** Request records in this file so far. */
  readonly file_records: number;
  readonly time: string;
}

/** Written on start when the previous run died mid-write: the incomplete tail it cut off. */
export interface AuditRecovery {
  readonly type: 'recovery';
  readonly discarded_bytes: number;
  readonly discarded_sha256: string;
  readonly time: string;
}

/** Files retention deleted, with the hash each ended on, so the chain still verifies from the oldest file kept. */
export interface AuditRetention {
  readonly type: 'retention';
  readonly removed: readonly { readonly file: string; readonly last_seq: number; readonly last_hash: string }[];
  readonly time: string;
}

export type AuditBody = AuditRequest | AuditHeader | AuditCheckpoint | AuditRecovery | AuditRetention;

export interface ChainFields {
  readonly seq: number;
  readonly prev: string;
  readonly hash: string;
}

export type AuditLine = AuditBody & ChainFields;

/** Puts a body at position `seq` after the line whose hash is `prev`: the line's text (no newline) and hash. */
export function sealLine(body: AuditBody, seq: number, prev: string, key: AuditKey): { text: string; hash: string } {
  const unsealed = { ...body, seq, prev };
  const hash = hmacHex(key, canonicalJson(unsealed));
  return { text: canonicalJson({ ...unsealed, hash }), hash };
}

/** The hash a parsed line of a log in `format` should carry (v2 needs the key). */
export function expectedHash(line: Record<string, unknown>, format: AuditFormat, key: AuditKey | undefined): string | undefined {
  const rest = Object.fromEntries(Object.entries(line).filter(([name]) => name !== 'hash'));
  if (format === LEGACY_AUDIT_FORMAT) return sha256Hex(legacyCanonicalJson(rest));
  return key ? hmacHex(key, canonicalJson(rest)) : undefined;
}

/** The canonical form of a parsed line in `format` (a line that differs from it was rewritten). */
export function canonicalLine(line: Record<string, unknown>, format: AuditFormat): string {
  return format === LEGACY_AUDIT_FORMAT ? legacyCanonicalJson(line) : canonicalJson(line);
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

function hmacHex(key: AuditKey, text: string): string {
  return createHmac('sha256', key.bytes).update(text).digest('hex');
}
