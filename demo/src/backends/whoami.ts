// The demo "whoami" MCP server: a server with an upstream identity (McpServer `upstream.identity`,
// token exchange). It checks every request's bearer token itself (signature against the identity
// provider's JWKS, issuer, audience, expiry) and answers per user, as a ticketing system or code host
// enforcing its own permissions would. It never sees the caller's gateway token, only the exchanged one.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createRemoteJWKSet, jwtVerify } from 'jose';

export interface WhoamiTokenCheck {
  readonly issuer: string;
  readonly jwksUrl: string;
  /** The `aud` this server accepts: its `upstream.identity.audience`. */
  readonly audience: string;
}

/** Verifies a bearer token for this server: its subject and actor, or why it is refused. */
export function whoamiAuthenticator(check: WhoamiTokenCheck): (bearer: string | undefined) => Promise<AuthInfo | { readonly refused: string }> {
  const keys = createRemoteJWKSet(new URL(check.jwksUrl));
  return async (bearer) => {
    if (bearer === undefined) return { refused: 'no bearer token' };
    try {
      const { payload } = await jwtVerify(bearer, keys, { issuer: check.issuer, audience: check.audience, requiredClaims: ['sub', 'exp'] });
      const actor = typeof payload.act === 'object' && payload.act !== null ? (payload.act as { sub?: unknown }).sub : undefined;
      return {
        token: bearer,
        clientId: typeof payload.client_id === 'string' ? payload.client_id : '',
        scopes: typeof payload.scope === 'string' && payload.scope !== '' ? payload.scope.split(' ') : [],
        ...(payload.exp === undefined ? {} : { expiresAt: payload.exp }),
        extra: { subject: payload.sub, audience: check.audience, actor: typeof actor === 'string' ? actor : undefined },
      };
    } catch (error) {
      return { refused: `token refused: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
}

export function registerWhoamiTools(server: McpServer): void {
  server.registerTool(
    'whoami',
    { description: 'Who this server sees as the caller (from the token it verified).', inputSchema: {}, annotations: { readOnlyHint: true } },
    (_args, extra) => {
      const seen = extra.authInfo?.extra ?? {};
      return { content: [{ type: 'text' as const, text: JSON.stringify({ subject: seen.subject, audience: seen.audience, actor: seen.actor }) }] };
    },
  );
}
