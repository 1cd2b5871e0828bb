// A minimal browser for OAuth flows in tests: follows redirects with a cookie jar, and on the
// development identity provider's login page clicks the button of one user, until it is sent to a
// URL the caller waits for (the client's redirect URI). Bounded: at most 20 steps.
import { createHash, randomBytes } from 'node:crypto';

export interface BrowseResult {
  /** The URL the browser was finally sent to (not fetched). */
  readonly url: URL;
}

/** Follows `start` until a redirect lands on a URL for which `arrived` holds; `user` is the login page button to click. */
export async function browse(start: string, arrived: (url: URL) => boolean, user: string): Promise<BrowseResult> {
  const jar = new Map<string, string>();
  let request: { url: URL; init: { method?: string; headers?: Record<string, string>; body?: string } } = { url: new URL(start), init: {} };
  for (let step = 0; step < 20; step++) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(request.url, { ...request.init, redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), ...request.init.headers } });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, request.url);
      if (arrived(next)) return { url: next };
      request = { url: next, init: {} };
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action || !html.includes(`value="${user}"`)) {
      throw new Error(`the browser stopped at ${request.url.href} (HTTP ${res.status}): ${html.slice(0, 300)}`);
    }
    request = {
      url: new URL(action, request.url),
      init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ user }).toString() },
    };
  }
  throw new Error(`the browser did not arrive after 20 steps (last ${request.url.href})`);
}

/** A PKCE verifier and its S256 challenge (RFC 7636). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
