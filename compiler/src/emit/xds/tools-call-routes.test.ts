import { describe, expect, it } from 'vitest';
import type { IrGateway, IrServer, IrVirtualServer } from '../../ir/types.ts';
import { CALL_OUTCOME_FILTER } from './call-outcome-filter.ts';
import { GUARDRAILS_FILTER, RESPONSE_REWRITE_FILTER } from './http-filters.ts';
import { gatewayRoutes } from './routes.ts';

const gateway = {
  name: 'edge', publicUrl: 'https://mcp.example.com', hostnames: ['mcp.example.com'], audit: { redact: [] }, limits: {},
  authzTimeoutMs: 500, virtualServers: ['tickets'],
} as unknown as IrGateway;
const server = {
  name: 'tickets', upstream: { url: 'http://127.0.0.1:7000/mcp', timeoutMs: 1000 }, capabilities: ['tools'],
  tools: [{ name: 'get.ticket', audit: { results: 'digest', redact: [] } }, { name: 'search' }],
} as unknown as IrServer;
const vs = {
  name: 'tickets', aggregated: false, members: [{ server: 'tickets', tools: ['*'] }],
  tools: [{ publicName: 'get.ticket', server: 'tickets', tool: 'get.ticket' }, { publicName: 'search', server: 'tickets', tool: 'search' }],
} as unknown as IrVirtualServer;

function toolsCallRoutes(guarded: boolean) {
  const config = gatewayRoutes(gateway, [vs], new Map([['tickets', server]]), [], guarded ? new Set(['tickets']) : new Set());
  return (config.virtual_hosts?.[0]?.routes ?? []).filter((r) => r.name?.includes('tools-call'));
}

describe('the tools/call routes of a virtual server', () => {
  it('send the tools that keep their results to the result recorder, and every other call to the call-outcome script', () => {
    const [kept, others, ...rest] = toolsCallRoutes(false);
    expect(rest).toEqual([]);
    expect(kept?.name).toBe('tickets-tools-call-kept');
    expect(Object.keys(kept?.typed_per_filter_config ?? {})).toContain(RESPONSE_REWRITE_FILTER);
    expect(Object.keys(kept?.typed_per_filter_config ?? {})).not.toContain(CALL_OUTCOME_FILTER);
    // The tool name is matched whole, its dot literally.
    expect(JSON.stringify(kept?.match?.dynamic_metadata)).toContain('"regex":"^(get\\\\.ticket)$"');
    expect(others?.name).toBe('tickets-tools-call');
    expect(Object.keys(others?.typed_per_filter_config ?? {})).toContain(CALL_OUTCOME_FILTER);
    expect(Object.keys(others?.typed_per_filter_config ?? {})).not.toContain(RESPONSE_REWRITE_FILTER);
  });

  it('leave a guarded virtual server to the guardrails alone', () => {
    const routes = toolsCallRoutes(true);
    expect(routes.map((r) => r.name)).toEqual(['tickets-tools-call']);
    expect(Object.keys(routes[0]?.typed_per_filter_config ?? {})).toContain(GUARDRAILS_FILTER);
    expect(Object.keys(routes[0]?.typed_per_filter_config ?? {})).not.toContain(CALL_OUTCOME_FILTER);
  });
});
