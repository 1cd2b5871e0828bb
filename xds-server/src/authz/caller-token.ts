// The caller's bearer token, taken out of a CheckRequest's headers. jwt_authn keeps it in the request
// only on virtual servers whose server exchanges it (emit/xds/http-filters.ts jwtAuthnFilter); it is
// removed from the attributes before the policy, the audit or any log sees them, and only the
// upstream identity step (upstream-identity/) reads it.

/** Removes `authorization` from the attributes' request headers; the bearer token it carried, if any. */
export function takeCallerToken(attributes: Record<string, unknown>): string | undefined {
  const request = attributes.request;
  const http = isRecord(request) ? request.http : undefined;
  const headers = isRecord(http) ? http.headers : undefined;
  if (!isRecord(headers)) return undefined;
  const value = headers.authorization;
  delete headers.authorization;
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer +(\S+)$/i.exec(value);
  return match?.[1];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
