// Who may read the admin endpoint's /status and /metrics (they name servers, teams, tools and
// versions): with a token, only requests bearing it; without one, anyone on a loopback-bound
// listener (the local default) and nobody on another address. /healthz and /readyz stay open.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export interface AdminAccess {
  /** The bearer token /status and /metrics require; absent: see `loopback`. */
  readonly token?: string;
  /** The listener is bound to a loopback address, so only this host can reach it. */
  readonly loopback: boolean;
}

export type AdminVerdict = 'allowed' | 'no-token' | 'wrong-token' | 'closed';

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

export function adminAccess(host: string, token: string | undefined): AdminAccess {
  return { ...(token === undefined ? {} : { token }), loopback: isLoopbackHost(host) };
}

export function checkAdminRequest(req: IncomingMessage, access: AdminAccess): AdminVerdict {
  if (access.token === undefined) return access.loopback ? 'allowed' : 'closed';
  const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (given === undefined) return 'no-token';
  return sameSecret(given, access.token) ? 'allowed' : 'wrong-token';
}

/** Constant-time comparison; hashing first makes the lengths equal without revealing them. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
