// Typed Envoy JSON: each `@ts-expect-error` below marks a mistake `tsc` must reject in JSON built the
// way the emitters build it (if tsc stopped rejecting one, the unused directive would fail `tsc`).
// At run time, the strict decode against the Envoy API (the second line of defence) rejects the same
// mistakes, and accepts the corrected JSON.
import { fromJson } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { anyOf, type Json } from './envoy-json.ts';
import { envoyMessage, envoyRegistry } from './envoy-registry.ts';
import { TYPE } from './type-urls.ts';

type ClusterJson = Json<'envoy.config.cluster.v3.Cluster'>;

const decodes = (message: string, json: unknown) => {
  try {
    fromJson(envoyMessage(message), json as never, { registry: envoyRegistry() });
    return true;
  } catch {
    return false;
  }
};

describe('anyOf', () => {
  it('writes the type URL first, then the message fields', () => {
    expect(JSON.stringify(anyOf(TYPE.router, { suppress_envoy_headers: true }))).toBe(
      '{"@type":"type.googleapis.com/envoy.extensions.filters.http.router.v3.Router","suppress_envoy_headers":true}',
    );
  });
});

describe('a mistake in emitted JSON fails tsc and the strict decode alike', () => {
  it('a misspelt field of a resource', () => {
    const cluster: ClusterJson = {
      name: 'c',
      // @ts-expect-error misspelt: connect_timeout
      conect_timeout: '1s',
    };
    expect(decodes('envoy.config.cluster.v3.Cluster', cluster)).toBe(false);
    expect(decodes('envoy.config.cluster.v3.Cluster', { name: 'c', connect_timeout: '1s' } satisfies ClusterJson)).toBe(true);
  });

  it('a misspelt field deep in a resource', () => {
    const cluster: ClusterJson = {
      name: 'c',
      // @ts-expect-error misspelt: max_requests
      circuit_breakers: { thresholds: [{ max_connections: 1, max_request: 1 }] },
    };
    expect(decodes('envoy.config.cluster.v3.Cluster', cluster)).toBe(false);
  });

  it('a misspelt field in an Any payload, checked against the message its type URL names', () => {
    // @ts-expect-error misspelt: clear_route_cache
    const mcp = anyOf(TYPE.mcp, { traffic_mode: 'REJECT_NO_MCP', clear_rout_cache: true });
    expect(decodes('google.protobuf.Any', mcp)).toBe(false);
    // @ts-expect-error a field of the Mcp filter in the Router filter's Any
    const router = anyOf(TYPE.router, { clear_route_cache: true });
    expect(decodes('google.protobuf.Any', router)).toBe(false);
    expect(decodes('google.protobuf.Any', anyOf(TYPE.mcp, { traffic_mode: 'REJECT_NO_MCP', clear_route_cache: true }))).toBe(true);
  });

  it('an enum value Envoy does not have', () => {
    const cluster: ClusterJson = {
      name: 'c',
      // @ts-expect-error not a DiscoveryType: STRICT_DNS
      type: 'STRICT_DSN',
    };
    expect(decodes('envoy.config.cluster.v3.Cluster', cluster)).toBe(false);
  });

  it('a misspelt field in an optional part (spread with `satisfies`, as the emitters write it)', () => {
    const cluster = (tls: boolean): ClusterJson => ({
      name: 'c',
      // @ts-expect-error misspelt: transport_socket
      ...(tls ? ({ transport_sockets: { name: 'envoy.transport_sockets.tls' } } satisfies ClusterJson) : {}),
    });
    expect(decodes('envoy.config.cluster.v3.Cluster', cluster(true))).toBe(false);
  });
});
