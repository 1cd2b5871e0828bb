// The example's whoami server exchanges callers' tokens at the development identity provider (RFC 8693).
// A registry that adds another identity provider must declare that the exchange trusts its tokens
// (diagnostic upstream-identity-trust), as an organisation would; tests that add one do it here.
import type { RepoEdits } from './repo.ts';

export const EXAMPLE_TOKEN_EXCHANGE_SERVER = 'registry/mcp-servers/whoami.yaml';

const AUDIENCE_LINE = '      audience: urn:gatehouse:whoami\n';

/** The [from, to] edit of the whoami server's registry text declaring its exchange accepts tokens of these identity providers too. */
export function trustedIssuersEdit(providers: readonly string[]): readonly [string, string] {
  return [AUDIENCE_LINE, `${AUDIENCE_LINE}      trustedIssuers: [${providers.join(', ')}]\n`];
}

/** The whoami server's registry text with that edit (other files unchanged). */
export function trustingIssuers(path: string, text: string, providers: readonly string[]): string {
  if (!path.endsWith(EXAMPLE_TOKEN_EXCHANGE_SERVER)) return text;
  if (!text.includes(AUDIENCE_LINE)) throw new Error(`${EXAMPLE_TOKEN_EXCHANGE_SERVER} no longer has the line ${AUDIENCE_LINE.trim()}`);
  const [from, to] = trustedIssuersEdit(providers);
  return text.replace(from, to);
}

/** Removes the whoami server (and its virtual server and grant), for a registry without the development identity provider. */
export const WITHOUT_TOKEN_EXCHANGE_SERVER: RepoEdits = {
  [EXAMPLE_TOKEN_EXCHANGE_SERVER]: null,
  'registry/virtual-servers/whoami.yaml': null,
  'registry/grants/whoami.yaml': null,
};
