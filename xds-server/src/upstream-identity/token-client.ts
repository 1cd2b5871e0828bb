// Fetches an upstream token at an identity provider's token endpoint: the RFC 8693 token exchange of
// the caller's verified token, or the client credentials grant. Every failure is a reason (never the
// token or the client secret), so the caller fails the request closed and audits why.

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** What the control plane needs of one server's `upstream.identity` (the client secret resolved from its secretRef). */
export interface UpstreamIdentitySettings {
  readonly mode: 'token-exchange' | 'client-credentials';
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly audience: string;
  readonly scopes: readonly string[];
}

export type TokenResult =
  | { readonly ok: true; readonly token: string; readonly expiresInSeconds: number }
  | { readonly ok: false; readonly reason: string; readonly refused: boolean };

export interface TokenClientOptions {
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

/** Without `expires_in` a token is kept this long (RFC 6749 makes it optional). */
const DEFAULT_EXPIRES_IN_SECONDS = 60;

export async function requestUpstreamToken(
  settings: UpstreamIdentitySettings,
  subjectToken: string | undefined,
  options: TokenClientOptions,
): Promise<TokenResult> {
  const body = new URLSearchParams(
    settings.mode === 'token-exchange'
      ? { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: subjectToken ?? '', subject_token_type: ACCESS_TOKEN_TYPE, audience: settings.audience }
      : { grant_type: 'client_credentials', resource: settings.audience },
  );
  if (settings.mode === 'token-exchange' && !subjectToken) return { ok: false, reason: 'the caller presented no token to exchange', refused: true };
  if (settings.scopes.length > 0) body.set('scope', settings.scopes.join(' '));
  const basic = Buffer.from(`${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`).toString('base64');
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(settings.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    const reason = timedOut ? `the token endpoint did not answer within ${String(options.timeoutMs)} ms` : 'the token endpoint is unreachable';
    return { ok: false, reason, refused: false };
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return { ok: false, reason: `the token endpoint answered ${String(response.status)} without JSON`, refused: false };
  }
  const fields = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  if (!response.ok) {
    const error = typeof fields.error === 'string' ? fields.error.slice(0, 64) : 'no error code';
    return { ok: false, reason: `the identity provider refused the ${settings.mode} (${String(response.status)} ${error})`, refused: response.status < 500 };
  }
  if (typeof fields.access_token !== 'string' || fields.access_token === '') {
    return { ok: false, reason: 'the token endpoint returned no access_token', refused: false };
  }
  const expiresIn = typeof fields.expires_in === 'number' && fields.expires_in > 0 ? fields.expires_in : DEFAULT_EXPIRES_IN_SECONDS;
  return { ok: true, token: fields.access_token, expiresInSeconds: expiresIn };
}
