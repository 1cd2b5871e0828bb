// The session id a client sees: the upstream's `Mcp-Session-Id` wrapped with a MAC that binds it to
// the subject that opened it (issuer and sub) and the virtual server it was opened on. Every
// control-plane replica holds the same key, so any of them can check an id another issued; nothing
// is stored. Format (visible ASCII, as the MCP spec requires of session ids):
//   gh1.<base64url(upstream id)>.<base64url(HMAC-SHA256(key, binding + upstream id))>
// The upstream id is readable in it, which is harmless: the gateway refuses any id it did not wrap.
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'gh1.';
/** Longer upstream ids are not wrapped (the SDK's are 36 characters; mcp_router's grow with its members). */
export const MAX_UPSTREAM_ID_LENGTH = 4096;

/** Who and where a session belongs to. */
export interface SessionBinding {
  readonly issuer: string;
  readonly subject: string;
  readonly virtualServer: string;
}

export type Unwrapped =
  | { readonly ok: true; readonly upstreamId: string }
  | { readonly ok: false; readonly reason: 'malformed' | 'not-bound' };

export function wrapSessionId(key: Buffer, binding: SessionBinding, upstreamId: string): string {
  return `${PREFIX}${Buffer.from(upstreamId, 'utf8').toString('base64url')}.${mac(key, binding, upstreamId).toString('base64url')}`;
}

/**
 * The upstream id inside a client's session id, if this gateway wrapped it for this binding.
 * `malformed`: not an id the gateway issues (a raw upstream id, say); `not-bound`: the MAC does not
 * hold for this subject and virtual server (another caller's id, another virtual server's, or edited).
 */
export function unwrapSessionId(key: Buffer, binding: SessionBinding, clientId: string): Unwrapped {
  if (!clientId.startsWith(PREFIX)) return { ok: false, reason: 'malformed' };
  const parts = clientId.slice(PREFIX.length).split('.');
  if (parts.length !== 2 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return { ok: false, reason: 'malformed' };
  const [encodedId = '', encodedMac = ''] = parts;
  const upstreamId = Buffer.from(encodedId, 'base64url').toString('utf8');
  if (upstreamId.length === 0 || upstreamId.length > MAX_UPSTREAM_ID_LENGTH) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(encodedMac, 'base64url');
  const expected = mac(key, binding, upstreamId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'not-bound' };
  return { ok: true, upstreamId };
}

/** Each field length-prefixed, so no two different bindings feed the MAC the same bytes. */
function mac(key: Buffer, binding: SessionBinding, upstreamId: string): Buffer {
  const hmac = createHmac('sha256', key);
  hmac.update('gatehouse-session-v1');
  for (const field of [binding.issuer, binding.subject, binding.virtualServer, upstreamId]) {
    const bytes = Buffer.from(field, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hmac.update(length).update(bytes);
  }
  return hmac.digest();
}
