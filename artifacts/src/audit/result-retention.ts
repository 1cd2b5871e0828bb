// What the audit keeps of the results of a virtual server's tools, as a tools/call route hands it to
// the processor that sees the response (gRPC metadata RESULT_RETENTION_HEADER, JSON): per public tool
// name, the tool's `audit.results` mode, its size cap and the redaction paths (the gateway's and the
// tool's). The compiler writes it from the same registry version as the route, so the processor needs
// no lookup; a tool that is not named keeps nothing, and its call's outcome is still recorded.

/**
 * The largest response body read to find how a call ended (an event stream's progress included), by
 * the control plane's processors and by Envoy's call-outcome script alike; a larger one is not held in
 * memory, and its record has no outcome.
 */
export const MAX_COLLECTED_BYTES = 8 * 1024 * 1024;

export interface ResultRetention {
  readonly mode: 'digest' | 'payload';
  /** The largest payload kept whole, in bytes of canonical JSON. */
  readonly maxBytes: number;
  /** Paths into the result replaced before the digest is taken (xds-server/src/audit/redact.ts syntax). */
  readonly redact: readonly string[];
}

/** Per public tool name (as the client calls it on the virtual server). */
export type ResultRetentions = Readonly<Record<string, ResultRetention>>;

/** The retentions in a route's gRPC metadata value; entries that are not well formed are dropped (they keep nothing). */
export function parseResultRetentions(text: string | undefined): ResultRetentions {
  if (text === undefined || text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  const out: Record<string, ResultRetention> = {};
  for (const [tool, value] of Object.entries(parsed as Record<string, unknown>)) {
    const v = value as Partial<Record<keyof ResultRetention, unknown>> | null;
    if (typeof v !== 'object' || v === null) continue;
    if ((v.mode !== 'digest' && v.mode !== 'payload') || typeof v.maxBytes !== 'number' || !Array.isArray(v.redact)) continue;
    out[tool] = { mode: v.mode, maxBytes: v.maxBytes, redact: v.redact.filter((p): p is string => typeof p === 'string') };
  }
  return out;
}
