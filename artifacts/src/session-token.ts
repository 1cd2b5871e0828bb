// What the emitted Envoy configuration and the control plane agree on about MCP session ids. A
// session id the gateway hands a client is a JWT (ES256) the control plane signs when the session
// opens: it names the caller that opened it (issuer and subject), the virtual server, and the
// upstream's own session id. Envoy's jwt_authn verifies it with the control plane's public key
// only, so every request of a session can be checked at line rate (RBAC compares its claims with
// the caller's verified token) and the upstream's id restored from it without a control-plane call.
import { createHash } from 'node:crypto';

/** jwt_authn's provider for session ids, and the issuer it accepts. */
export const SESSION_PROVIDER = 'gatehouse_session';
export const SESSION_ISSUER = 'urn:gatehouse:session';
/** Where jwt_authn puts a verified session id's payload, in its own metadata namespace. */
export const SESSION_PAYLOAD_KEY = 'session_payload';
/** Where the gateway keeps the session id the client sent (header_to_metadata), to echo it into responses. */
export const SESSION_METADATA_NAMESPACE = 'gatehouse.session';
export const CLIENT_SESSION_KEY = 'client_session_id';
export const SESSION_HEADER = 'mcp-session-id';

/** The claims of a session id, by what they hold. */
export const SESSION_CLAIMS = {
  callerIssuer: 'ci',
  callerSubject: 'cs',
  virtualServer: 'vs',
  upstreamId: 'sid',
} as const;

// P-256: y² = x³ - 3x + b over the prime field p.
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

/**
 * The key the compiled listener carries until the control plane puts its own in (the snapshot it
 * serves always does). Its point is derived from a public string, not from a private key, so no
 * one can sign for it: were it ever served, no session id would verify and every session request
 * would be refused by ext_authz (fail closed). Envoy's config check still sees a valid JWKS.
 */
export function placeholderSessionJwks(): string {
  const seed = 'gatehouse session placeholder: no private key exists for this point';
  for (let counter = 0; ; counter++) {
    const x = BigInt(`0x${sha256Hex(`${seed}/${counter}`)}`) % P;
    const rhs = mod(x ** 3n - 3n * x + B);
    // p ≡ 3 (mod 4), so a square root, if there is one, is rhs^((p+1)/4).
    const y = power(rhs, (P + 1n) / 4n);
    if (mod(y * y) !== rhs) continue;
    return JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: 'placeholder', x: base64url(x), y: base64url(y) }] });
  }
}

function mod(n: bigint): bigint {
  return ((n % P) + P) % P;
}

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = mod(result * b);
    b = mod(b * b);
  }
  return result;
}

function base64url(n: bigint): string {
  return Buffer.from(n.toString(16).padStart(64, '0'), 'hex').toString('base64url');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
