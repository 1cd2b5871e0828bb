// How a tool call's arguments go into its audit record: always a digest (sha256 of the canonical
// JSON of the redacted arguments, so secrets with little entropy cannot be guessed back from it),
// plus the redacted or raw arguments when the registry says so.
import { canonicalJson } from '../../../artifacts/src/audit/canonical-json.ts';
import { sha256Hex, type ArgumentMode, type AuditArguments } from '../../../artifacts/src/audit/audit-line.ts';
import { redactArguments } from './redact.ts';

export function auditArguments(args: unknown, mode: ArgumentMode, redact: readonly string[]): AuditArguments {
  const redacted = redactArguments(args, redact);
  const digest = `sha256:${sha256Hex(canonicalJson(redacted))}`;
  if (mode === 'digest') return { digest, mode };
  return { digest, mode, value: mode === 'raw' ? args : redacted };
}
