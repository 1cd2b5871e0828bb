// Per-subject limits, as the compiled configuration and the control plane must agree on them: the
// JSON-RPC error a limited caller receives, the names of the limit kinds (in that error's `data`
// and in the control plane's metrics), and how a route tells the session-binding processor the
// limits of its virtual server (gRPC metadata on the route's ext_proc override).

/** JSON-RPC error code of a request refused by a per-subject limit (implementation-defined server error range; 429). */
export const LIMITED_CODE = -32029;

export const LIMIT_KINDS = ['calls-per-second', 'sessions', 'streams'] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

/** gRPC metadata a route's session-binding override sends: the virtual server's session and stream limits, as JSON. */
export const SUBJECT_LIMITS_HEADER = 'x-gatehouse-subject-limits';

/** What SUBJECT_LIMITS_HEADER carries. */
export interface ProcessorLimits {
  readonly sessions: number;
  readonly streams: number;
}

/** A refusal's body: a JSON-RPC error that names the limit, so a client can tell it from other 429s. */
export interface LimitedError {
  readonly jsonrpc: '2.0';
  readonly id: unknown;
  readonly error: { readonly code: number; readonly message: string; readonly data: { readonly limit: LimitKind } };
}

export function limitedError(id: unknown, kind: LimitKind, message: string): LimitedError {
  return { jsonrpc: '2.0', id: id ?? null, error: { code: LIMITED_CODE, message, data: { limit: kind } } };
}
