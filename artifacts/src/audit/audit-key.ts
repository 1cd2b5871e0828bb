// The audit key: 32 random bytes that seal (HMAC) every line of a v2 audit log. The control plane
// holds it to write, an auditor to verify; without it a whole log cannot be rewritten so that it
// verifies. Stored as a file of 64 hex digits (and a newline), readable by its owner only. Its id
// (the first 16 hex digits of the key's sha256) goes in each file header, so a verifier can tell a
// log sealed with another key from an edited one; the key itself never goes in a log or artifact.
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';

export interface AuditKey {
  readonly bytes: Uint8Array;
  readonly id: string;
}

export function auditKeyOf(bytes: Uint8Array): AuditKey {
  return { bytes, id: createHash('sha256').update(bytes).digest('hex').slice(0, 16) };
}

/** A key file's text: the key, or why it is not one. */
export function parseAuditKey(text: string): AuditKey | { readonly error: string } {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) return { error: 'an audit key file holds 64 lowercase hex digits (32 bytes)' };
  return auditKeyOf(Buffer.from(hex, 'hex'));
}

export function formatAuditKey(key: AuditKey): string {
  return `${Buffer.from(key.bytes).toString('hex')}\n`;
}

/**
 * Where the key and the anchors go when not told otherwise: beside the audit folder
 * (`.gatehouse/audit` -> `.gatehouse/audit.key`, `.gatehouse/audit-anchors/`). An operator who
 * wants tampering with the disk detected points both elsewhere (docs/observability.md#anchors).
 */
export function defaultAuditCompanions(auditDir: string): { readonly keyFile: string; readonly anchorDir: string } {
  const parent = dirname(auditDir);
  return { keyFile: join(parent, 'audit.key'), anchorDir: join(parent, 'audit-anchors') };
}
