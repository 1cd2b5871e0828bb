// The MCP Registry API on the admin listener, read with plain fetch as an editor would: shapes checked
// against the specification's requirements (testkit/registry-api-schema.ts), paging, filters, errors, access.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';
import { metadataPath } from '../../../artifacts/src/protected-resource.ts';
import { registryApiValidators, schemaErrors } from '../../../testkit/registry-api-schema.ts';
import { adminAccess, type AdminAccess } from '../admin/admin-access.ts';
import { createAdminServer } from '../admin/admin-server.ts';
import { createMetrics } from '../admin/metrics.ts';
import { registryApi, type RegistryApiOptions } from './registry-api.ts';
import type { RegistrySource } from './registry-entries.ts';
import type { RegistryServerList, RegistryServerResponse } from './registry-shapes.ts';

const VIRTUAL_SERVERS = ['helpdesk', 'inventory', 'knowledge', 'payments-ops'];
const SOURCE: RegistrySource = {
  version: 'v1',
  sourceRevision: 'r1',
  bundleData: {},
  fleets: [{
    fleet: 'default', clusters: [], endpoints: [], listeners: [], secrets: [],
    routes: [{
      name: 'gw',
      virtual_hosts: [{
        name: 'gw',
        domains: ['*'],
        routes: VIRTUAL_SERVERS.map((vs) => ({
          match: { path: metadataPath(vs) },
          direct_response: { status: 200, body: { inline_string: JSON.stringify({ resource: `https://mcp.example.com/mcp/${vs}`, resource_name: `The ${vs} endpoint.` }) } },
        })),
      }],
    }],
  } satisfies FleetResources],
};
const TOKEN = 's3cret-admin-token-0123456789';
const validators = registryApiValidators();

let close: (() => void) | undefined;
afterEach(() => close?.());

async function start(mode: RegistryApiOptions['mode'], access?: AdminAccess, source: () => RegistrySource | undefined = () => SOURCE): Promise<string> {
  const api = registryApi({ mode, ...(access ? { access } : {}), source });
  const server = createAdminServer({ ready: () => true, status: () => ({}), metrics: createMetrics(), ...(access ? { access } : {}), registryApi: api });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  close = () => server.close();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, init);
  expect(response.headers.get('content-type')).toBe('application/json');
  return { status: response.status, body: await response.json(), headers: response.headers };
}

describe('MCP Registry API v0.1', () => {
  it('lists the servers in the registry format, a page at a time, following nextCursor to the end', async () => {
    const url = await start('admin');
    const names: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const { status, body } = await getJson(`${url}/v0.1/servers?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(status).toBe(200);
      expect(schemaErrors(validators.serverList, body)).toBe('');
      const list = body as RegistryServerList;
      names.push(...list.servers.map((s) => s.server.name));
      expect(list.metadata.count).toBe(list.servers.length);
      cursor = list.metadata.nextCursor;
      if (cursor === undefined) break;
    }
    expect(names).toEqual(VIRTUAL_SERVERS.map((vs) => `com.example.mcp/${vs}`));
  });

  it('filters by name substring and by version', async () => {
    const url = await start('admin');
    const search = (await getJson(`${url}/v0.1/servers?search=PAYMENTS`)).body as RegistryServerList;
    expect(search.servers.map((s) => s.server.name)).toEqual(['com.example.mcp/payments-ops']);
    const latest = (await getJson(`${url}/v0.1/servers?version=latest`)).body as RegistryServerList;
    expect(latest.servers).toHaveLength(4);
    const version = latest.servers[1]?.server.version ?? '';
    const exact = (await getJson(`${url}/v0.1/servers?version=${version}`)).body as RegistryServerList;
    expect(exact.servers.map((s) => s.server.version)).toEqual([version]);
    expect(((await getJson(`${url}/v0.1/servers?updated_since=2025-08-07T13:15:04.280Z`)).body as RegistryServerList).servers).toHaveLength(4);
  });

  it('answers a server\'s versions and one version, by number or as latest, with the name URL-encoded or not', async () => {
    const url = await start('admin');
    const versions = await getJson(`${url}/v0.1/servers/${encodeURIComponent('com.example.mcp/knowledge')}/versions`);
    expect(versions.status).toBe(200);
    expect(schemaErrors(validators.serverList, versions.body)).toBe('');
    const [only] = (versions.body as RegistryServerList).servers;
    expect(only?.server.remotes).toEqual([{ type: 'streamable-http', url: 'https://mcp.example.com/mcp/knowledge' }]);
    for (const path of [`com.example.mcp%2Fknowledge/versions/latest`, `com.example.mcp/knowledge/versions/${only?.server.version ?? ''}`]) {
      const detail = await getJson(`${url}/v0.1/servers/${path}`);
      expect(detail.status).toBe(200);
      expect(schemaErrors(validators.serverResponse, detail.body)).toBe('');
      expect((detail.body as RegistryServerResponse).server).toEqual(only?.server);
    }
  });

  it('answers unknown servers, versions, paths and bad parameters with a JSON error that says what to do', async () => {
    const url = await start('admin');
    const cases: [string, number, RegExp][] = [
      ['/v0.1/servers/com.example.mcp%2Fnope/versions/latest', 404, /server not found: com\.example\.mcp\/nope/],
      ['/v0.1/servers/com.example.mcp%2Fknowledge/versions/9.9.9', 404, /has only version [0-9a-f]{16}/],
      ['/v0.1/servers/com.example.mcp%2Fknowledge', 404, /\/versions\/\{version\|latest\}/],
      ['/v0.1/servers?limit=0', 400, /limit must be a whole number/],
      ['/v0.1/servers?cursor=not*a*cursor', 400, /metadata\.nextCursor/],
      ['/v0.1/servers?updated_since=yesterday', 400, /RFC 3339/],
      ['/v0.1/servers/%E0%A4%A/versions', 400, /percent-encoding/],
    ];
    for (const [path, status, message] of cases) {
      const answer = await getJson(`${url}${path}`);
      expect(answer.status, path).toBe(status);
      expect(schemaErrors(validators.error, answer.body)).toBe('');
      expect((answer.body as { error: string }).error, path).toMatch(message);
    }
  });

  it('before artifacts load, answers 503 rather than an empty registry', async () => {
    const url = await start('admin', undefined, () => undefined);
    const answer = await getJson(`${url}/v0.1/servers`);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ error: 'no artifacts loaded yet' });
  });

  it('by default sits behind the admin token, like /status', async () => {
    const url = await start('admin', adminAccess('0.0.0.0', TOKEN));
    const refused = await getJson(`${url}/v0.1/servers`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((refused.body as { error: string }).error).toContain('--registry-api public');
    expect((await getJson(`${url}/v0.1/servers`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const closed = await start('admin', adminAccess('0.0.0.0', undefined));
    expect((await getJson(`${closed}/v0.1/servers`)).status).toBe(403);
  });

  it('in public mode, answers without the token (editors send none) while /status keeps it', async () => {
    const url = await start('public', adminAccess('0.0.0.0', TOKEN));
    const open = await getJson(`${url}/v0.1/servers`);
    expect(open.status).toBe(200);
    expect(open.headers.get('access-control-allow-origin')).toBe('*');
    expect((await fetch(`${url}/status`)).status).toBe(401);
  });
});
