import { describe, expect, it } from 'vitest';
import type { FleetResources, RouteConfigurationJson } from '../../../artifacts/src/fleet-resources.ts';
import { metadataPath } from '../../../artifacts/src/protected-resource.ts';
import { registryApiValidators, schemaErrors } from '../../../testkit/registry-api-schema.ts';
import { FALLBACK_NAMESPACE, namespaceOf, registryEntries, shorten, type RegistrySource } from './registry-entries.ts';
import { GATEHOUSE_META_KEY } from './registry-shapes.ts';

/** A gateway's routes as the compiler writes them: a metadata document per virtual server, then its endpoint. */
function gatewayRoutes(publicUrl: string, virtualServers: Record<string, string>): RouteConfigurationJson {
  const routes = Object.entries(virtualServers).flatMap(([vs, description]) => [
    {
      name: `${vs}-metadata`,
      match: { path: metadataPath(vs) },
      direct_response: { status: 200, body: { inline_string: JSON.stringify({ resource: `${publicUrl}/mcp/${vs}`, resource_name: description }) } },
    },
    { name: vs, match: { path: `/mcp/${vs}` }, route: { cluster: vs } },
  ]);
  return { name: `routes-${publicUrl}`, virtual_hosts: [{ name: 'gw', domains: ['*'], routes }] };
}

function fleet(name: string, routes: RouteConfigurationJson[]): FleetResources {
  return { fleet: name, clusters: [], endpoints: [], listeners: [], routes, secrets: [] };
}

const bundleData = {
  registry: {
    servers: {
      docs: { owner: 'engineering', data_classification: 'internal', region: 'eu-west-1', tools: { search: { risk: 'low' }, edit: { risk: 'medium' } } },
      tickets: { owner: 'support', data_classification: 'confidential', region: 'eu-west-1', tools: { close: { risk: 'high' } } },
    },
    virtual_servers: {
      helpdesk: {
        servers: ['tickets', 'docs'],
        tools: { tickets__close: { server: 'tickets', tool: 'close' }, docs__search: { server: 'docs', tool: 'search' } },
      },
      knowledge: { servers: ['docs'], tools: { search: { server: 'docs', tool: 'search' } } },
    },
  },
};

const source = (fleets: FleetResources[], data: unknown = bundleData): RegistrySource => ({
  version: 'v1', sourceRevision: 'abc123', fleets, bundleData: data,
});

describe('registry entries', () => {
  it('lists each served virtual server once, with every gateway that serves it as a remote', () => {
    const entries = registryEntries(source([
      fleet('eu', [gatewayRoutes('https://mcp.example.com', { helpdesk: 'Support in one place.', knowledge: 'The knowledge base.' })]),
      fleet('us', [gatewayRoutes('https://mcp-us.example.com', { helpdesk: 'Support in one place.' })]),
    ]));
    // Two host names: no one of them names the registry.
    expect(entries.map((e) => e.server.name)).toEqual([`${FALLBACK_NAMESPACE}/helpdesk`, `${FALLBACK_NAMESPACE}/knowledge`]);
    expect(entries[0]?.server.remotes).toEqual([
      { type: 'streamable-http', url: 'https://mcp-us.example.com/mcp/helpdesk' },
      { type: 'streamable-http', url: 'https://mcp.example.com/mcp/helpdesk' },
    ]);
    expect(entries[0]?.server.description).toBe('Support in one place.');
    const validators = registryApiValidators();
    for (const entry of entries) expect(schemaErrors(validators.serverResponse, entry)).toBe('');
  });

  it('says who owns the endpoint and which tools it exposes, as clients name them', () => {
    const [helpdesk] = registryEntries(source([fleet('eu', [gatewayRoutes('https://mcp.example.com', { helpdesk: 'Support.' })])]));
    const meta = helpdesk?._meta[GATEHOUSE_META_KEY];
    expect(meta?.owners).toEqual(['engineering', 'support']);
    expect(meta?.members.map((m) => m.server)).toEqual(['docs', 'tickets']);
    expect(meta?.tools).toEqual([
      { name: 'docs__search', server: 'docs', tool: 'search', risk: 'low' },
      { name: 'tickets__close', server: 'tickets', tool: 'close', risk: 'high' },
    ]);
    expect(meta?.artifactVersion).toBe('v1');
    expect(meta?.sourceRevision).toBe('abc123');
  });

  it('versions each entry by its content: another artifact set leaves an unchanged endpoint at the same version', () => {
    const routes = [gatewayRoutes('https://mcp.example.com', { helpdesk: 'Support.', knowledge: 'Docs.' })];
    const before = registryEntries(source([fleet('eu', routes)]));
    const after = registryEntries({ ...source([fleet('eu', routes)]), version: 'v2', sourceRevision: 'def456' });
    expect(after.map((e) => e.server.version)).toEqual(before.map((e) => e.server.version));
    expect(before[0]?.server.version).toMatch(/^[0-9a-f]{16}$/);
    const changed = registryEntries(source([fleet('eu', [gatewayRoutes('https://mcp.example.com', { helpdesk: 'Support, now with refunds.', knowledge: 'Docs.' })])]));
    expect(changed[0]?.server.version).not.toBe(before[0]?.server.version);
    expect(changed[1]?.server.version).toBe(before[1]?.server.version);
  });

  it('names entries under a given namespace, or the gateways\' one host reversed; an address or localhost gets the fallback', () => {
    const one = [
      fleet('eu', [gatewayRoutes('https://mcp.example.com', { helpdesk: 'Support.' })]),
      fleet('us', [gatewayRoutes('https://mcp.example.com', { knowledge: 'Docs.' })]),
    ];
    expect(registryEntries(source(one)).map((e) => e.server.name)).toEqual(['com.example.mcp/helpdesk', 'com.example.mcp/knowledge']);
    const fleets = [fleet('eu', [gatewayRoutes('http://127.0.0.1:10000', { knowledge: 'Docs.' })])];
    expect(registryEntries(source(fleets))[0]?.server.name).toBe(`${FALLBACK_NAMESPACE}/knowledge`);
    expect(registryEntries(source(fleets), { namespace: 'com.acme' })[0]?.server.name).toBe('com.acme/knowledge');
    expect(namespaceOf('https://gw.mcp.acme.co.uk:8443/mcp/x')).toBe('uk.co.acme.mcp.gw');
    expect(['http://localhost:10000/mcp/x', 'http://[::1]:10000/mcp/x', 'not a url'].map(namespaceOf)).toEqual([FALLBACK_NAMESPACE, FALLBACK_NAMESPACE, FALLBACK_NAMESPACE]);
  });

  it('cuts a long description to the 100 characters server.json allows, keeping the whole text in its metadata', () => {
    const long = 'Everything a support agent needs in one endpoint: tickets, the knowledge base, refunds, customer history and the on-call rota.';
    const [entry] = registryEntries(source([fleet('eu', [gatewayRoutes('https://mcp.example.com', { helpdesk: long })])]));
    expect(Array.from(entry?.server.description ?? '').length).toBeLessThanOrEqual(100);
    expect(entry?.server.description).toMatch(/^Everything a support agent needs in one endpoint: tickets, the knowledge base.*…$/);
    expect(entry?._meta[GATEHOUSE_META_KEY].description).toBe(long);
    expect(shorten('short', 100)).toBe('short');
    expect(Array.from(shorten('é'.repeat(150), 100))).toHaveLength(100);
  });

  it('skips a virtual server no gateway serves, and lists a served one without members when the bundle lacks them', () => {
    const entries = registryEntries(source([fleet('eu', [gatewayRoutes('https://mcp.example.com', { knowledge: 'Docs.' })])], {}));
    expect(entries.map((e) => e.server.name)).toEqual(['com.example.mcp/knowledge']);
    expect(entries[0]?._meta[GATEHOUSE_META_KEY].members).toEqual([]);
  });
});
