// Signs the session ids the gateway hands out (artifacts/src/session-token.ts): an ES256 JWT whose
// key is derived from the session key every control-plane replica shares, so any replica signs ids
// every Envoy verifies with the same public key, and nothing is stored. Only the public key leaves
// the control plane (in the jwt_authn provider of the listeners it serves).
import { createECDH, createHash, createHmac, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { SESSION_CLAIMS, SESSION_ISSUER } from '../../../artifacts/src/session-token.ts';

/** Longer upstream ids are not wrapped (the SDK's are 36 characters; mcp_router's grow with its members). */
export const MAX_UPSTREAM_ID_LENGTH = 4096;

/** Who and where a session belongs to. */
export interface SessionBinding {
  readonly issuer: string;
  readonly subject: string;
  readonly virtualServer: string;
}

export interface SessionSigner {
  /** The public key as a JWKS, for Envoy's jwt_authn. */
  readonly jwks: string;
  /** The session id a client gets for the upstream's `upstreamId`, bound to `binding`. */
  sign(binding: SessionBinding, upstreamId: string): string;
}

// The order of the group P-256 (a private key is a scalar in [1, n-1]).
const ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

export function sessionSigner(sessionKey: Buffer): SessionSigner {
  const { privateKey, publicJwk } = derivedKey(sessionKey);
  const kid = createHash('sha256').update(JSON.stringify({ crv: 'P-256', kty: 'EC', x: publicJwk.x, y: publicJwk.y })).digest('base64url');
  const header = encode({ alg: 'ES256', kid, typ: 'JWT' });
  return {
    jwks: JSON.stringify({ keys: [{ ...publicJwk, alg: 'ES256', use: 'sig', kid }] }),
    sign(binding, upstreamId) {
      const payload = encode({
        iss: SESSION_ISSUER,
        [SESSION_CLAIMS.callerIssuer]: binding.issuer,
        [SESSION_CLAIMS.callerSubject]: binding.subject,
        [SESSION_CLAIMS.virtualServer]: binding.virtualServer,
        [SESSION_CLAIMS.upstreamId]: upstreamId,
      });
      const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      return `${header}.${payload}.${signature.toString('base64url')}`;
    },
  };
}

/** A P-256 key from the session key: the scalar HMAC(key, label/counter), the first that lies in [1, n-1]. */
function derivedKey(sessionKey: Buffer): { privateKey: KeyObject; publicJwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string } } {
  for (let counter = 0; ; counter++) {
    const scalar = createHmac('sha256', sessionKey).update(`gatehouse-session-es256/${counter}`).digest();
    const value = BigInt(`0x${scalar.toString('hex')}`);
    if (value === 0n || value >= ORDER) continue;
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(scalar);
    const point = ecdh.getPublicKey();
    const publicJwk = { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') } as const;
    const privateKey = createPrivateKey({ key: { ...publicJwk, d: scalar.toString('base64url') }, format: 'jwk' });
    return { privateKey, publicJwk };
  }
}

function encode(value: Record<string, string>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
