// The upstream Authorization value for one call: from the cache, else fetched and cached. Token
// exchanges are keyed by the caller (issuer + subject) and the server, so a token exchanged for one
// server or one caller is never sent for another.
import { tokenCacheKey, type TokenCache } from './token-cache.ts';
import { requestUpstreamToken, type TokenClientOptions, type UpstreamIdentitySettings } from './token-client.ts';

export interface Caller {
  readonly issuer: string;
  readonly subject: string;
  /** The caller's verified token (token exchange only). */
  readonly token?: string;
}

export type UpstreamTokenResult =
  | { readonly ok: true; readonly token: string; readonly cached: boolean }
  | { readonly ok: false; readonly reason: string; readonly refused: boolean };

export async function upstreamToken(
  server: string,
  settings: UpstreamIdentitySettings,
  caller: Caller,
  cache: TokenCache,
  client: TokenClientOptions & { readonly now: () => number },
): Promise<UpstreamTokenResult> {
  const perCaller = settings.mode === 'token-exchange';
  if (perCaller && (caller.issuer === '' || caller.subject === '')) return { ok: false, reason: 'the caller has no verified identity', refused: true };
  const key = tokenCacheKey(server, perCaller ? caller.issuer : '', perCaller ? caller.subject : '');
  const cached = cache.get(key);
  if (cached !== undefined) return { ok: true, token: cached, cached: true };
  const result = await requestUpstreamToken(settings, caller.token, client);
  if (!result.ok) return result;
  cache.set(key, { token: result.token, expiresAt: client.now() + result.expiresInSeconds * 1000 });
  return { ok: true, token: result.token, cached: false };
}
