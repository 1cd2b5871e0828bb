import { describe, expect, it } from 'vitest';
import type { IrGateway } from '../../ir/types.ts';
import { acceptedHosts } from '../../resolve/build-ir.ts';
import { refusedHostBody, refusedHostVirtualHost } from './host-check.ts';

const gateway = (hostnames: string[]) => ({ name: 'edge', publicUrl: 'https://mcp.example.com', hostnames }) as unknown as IrGateway;

describe('accepted hosts', () => {
  it('are the public URL\'s authority, with and without the default port, and the allowed hosts', () => {
    expect(acceptedHosts('https://MCP.example.com', [])).toEqual(['mcp.example.com', 'mcp.example.com:443']);
    expect(acceptedHosts('http://mcp.internal:8080', ['*.corp.example'])).toEqual(['*.corp.example', 'mcp.internal:8080']);
  });

  it('are every loopback name for a loopback public URL, and never another name', () => {
    expect(acceptedHosts('http://127.0.0.1:10000', [])).toEqual(['127.0.0.1:10000', '[::1]:10000', 'localhost:10000']);
    expect(acceptedHosts('http://localhost:10000', [])).toEqual(['127.0.0.1:10000', '[::1]:10000', 'localhost:10000']);
  });
});

describe('the refused-host virtual host', () => {
  it('answers every other Host with 403 and a JSON-RPC error, with no filter that calls out', () => {
    const [vhost] = refusedHostVirtualHost(gateway(['mcp.example.com']));
    expect(vhost?.domains).toEqual(['*']);
    const route = vhost?.routes?.[0];
    expect(route?.direct_response).toEqual({ status: 403, body: { inline_string: refusedHostBody(gateway([])) } });
    expect(Object.keys(route?.typed_per_filter_config ?? {}).sort()).toEqual(['envoy.filters.http.ext_authz', 'envoy.filters.http.mcp']);
    expect(JSON.parse(refusedHostBody(gateway([])))).toMatchObject({ error: { message: expect.stringContaining('https://mcp.example.com') as unknown } });
  });

  it('is left out when the gateway accepts every Host', () => {
    expect(refusedHostVirtualHost(gateway(['*', 'mcp.example.com']))).toEqual([]);
  });
});
