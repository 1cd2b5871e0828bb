// The compiled listeners verify session ids with a placeholder key (artifacts/src/session-token.ts):
// the control plane's own public key is known only where it runs. This puts it into the session
// provider of every jwt_authn filter of a listener, and leaves everything else as compiled.
import type { ListenerJson } from '../../../artifacts/src/fleet-resources.ts';
import { SESSION_PROVIDER } from '../../../artifacts/src/session-token.ts';

type Json = Record<string, unknown>;

const JWT_AUTHN_FILTER = 'envoy.filters.http.jwt_authn';

export function withSessionJwks(listener: ListenerJson, jwks: string): ListenerJson {
  const chains = (listener.filter_chains ?? []).map((chain) => ({
    ...chain,
    filters: (chain.filters ?? []).map((filter) => {
      const manager = filter.typed_config as Json | undefined;
      const httpFilters = manager?.http_filters as Json[] | undefined;
      if (!httpFilters) return filter;
      return { ...filter, typed_config: { ...manager, http_filters: httpFilters.map((f) => (f.name === JWT_AUTHN_FILTER ? withKey(f, jwks) : f)) } };
    }),
  }));
  return { ...listener, filter_chains: chains } as ListenerJson;
}

function withKey(filter: Json, jwks: string): Json {
  const config = filter.typed_config as Json;
  const providers = config.providers as Record<string, Json> | undefined;
  const session = providers?.[SESSION_PROVIDER];
  if (!providers || !session) return filter;
  return { ...filter, typed_config: { ...config, providers: { ...providers, [SESSION_PROVIDER]: { ...session, local_jwks: { inline_string: jwks } } } } };
}
