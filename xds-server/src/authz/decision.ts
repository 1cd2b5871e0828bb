// The policy's decision, and the CheckResponse Envoy gets for it.

/** The decision document of the OPA-Envoy plugin, plus Gatehouse's reasons. */
export interface Decision {
  readonly allowed: boolean;
  readonly http_status?: number;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string;
  readonly reasons?: readonly string[];
  readonly dynamic_metadata?: Readonly<Record<string, unknown>>;
  readonly request_headers_to_remove?: readonly string[];
}

const OK = 0;
const PERMISSION_DENIED = 7;

/** The CheckResponse in protobuf JSON form. */
export function checkResponseJson(decision: Decision): Record<string, unknown> {
  const headers = Object.entries(decision.headers ?? {}).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => ({ header: { key, value: String(v) }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' })),
  );
  const metadata = decision.dynamic_metadata ? { dynamicMetadata: decision.dynamic_metadata } : {};
  if (decision.allowed) {
    return {
      status: { code: OK },
      okResponse: { headers, ...(decision.request_headers_to_remove ? { headersToRemove: decision.request_headers_to_remove } : {}) },
      ...metadata,
    };
  }
  return {
    status: { code: PERMISSION_DENIED },
    deniedResponse: { status: { code: decision.http_status ?? 403 }, headers, body: decision.body ?? '' },
    ...metadata,
  };
}

/** A denial decided by the control plane itself (no policy, a malformed request, an evaluation error): fails closed. */
export function controlPlaneDenial(status: number, code: number, message: string, id: unknown = null): Decision {
  return {
    allowed: false,
    http_status: status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: id ?? null, error: { code, message } }),
    reasons: [message],
    dynamic_metadata: { decision: 'deny', reasons: [message] },
  };
}

/** A decision whose shape is wrong counts as an evaluation error. */
export function isDecision(value: unknown): value is Decision {
  return typeof value === 'object' && value !== null && typeof (value as { allowed?: unknown }).allowed === 'boolean';
}
