// Access tokens for a development user, shaped like the ones the provider issues through OAuth
// (RFC 9068 JWT access tokens): iss, sub, aud (the resources), exp, the groups and email claims the
// registry names, and email_verified: true. Used by `gatehouse token` and the demo's printed tokens.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { DevSigningKey } from './signing-key.ts';
import type { DevUser } from './directory.ts';

export interface UserClaimNames {
  readonly groupsClaim: string;
  readonly emailClaim: string;
}

/** The claims the provider adds about a user to every access token it issues. */
export function userClaims(user: DevUser, names: UserClaimNames): Record<string, unknown> {
  return { [names.groupsClaim]: [...user.groups], [names.emailClaim]: user.email, email_verified: true };
}

export interface MintOptions extends UserClaimNames {
  readonly issuer: string;
  readonly user: DevUser;
  readonly audience: readonly string[];
  readonly expiresInSeconds: number;
  readonly scope: string;
  /** The client the token names (`client_id`). */
  readonly clientId: string;
}

export async function mintAccessToken(key: DevSigningKey, options: MintOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...userClaims(options.user, options), scope: options.scope, client_id: options.clientId })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' })
    .setIssuer(options.issuer)
    .setSubject(options.user.sub)
    .setAudience(options.audience.length === 1 ? options.audience[0] ?? '' : [...options.audience])
    .setIssuedAt(now)
    .setExpirationTime(now + options.expiresInSeconds)
    .setJti(randomUUID())
    .sign(key.privateKey);
}
