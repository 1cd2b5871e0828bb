import { describe, expect, it } from 'vitest';
import type { IrGateway, IrServer, IrVirtualServer } from '../../ir/types.ts';
import { parseResultRetentions } from '../../../../artifacts/src/audit/result-retention.ts';
import { resultRetentions } from './result-retention.ts';

const gateway = { name: 'edge', audit: { redact: ['**.password'] } } as unknown as IrGateway;
const server = (name: string, tools: { name: string; audit?: unknown }[]) => [name, { name, tools }] as unknown as [string, IrServer];
const servers = new Map([
  server('tickets', [
    { name: 'get_ticket', audit: { results: 'payload', resultBytes: 512, redact: ['structuredContent.email'] } },
    { name: 'search', audit: { arguments: 'raw', redact: [] } },
  ]),
  server('wiki', [{ name: 'get_page', audit: { results: 'digest', redact: [] } }]),
]);
const vs = {
  name: 'helpdesk',
  tools: [
    { publicName: 'wiki__get_page', server: 'wiki', tool: 'get_page' },
    { publicName: 'tickets__get_ticket', server: 'tickets', tool: 'get_ticket' },
    { publicName: 'tickets__search', server: 'tickets', tool: 'search' },
  ],
} as unknown as IrVirtualServer;

describe('what a tools/call route tells its processor to keep of results', () => {
  it('names each public tool that keeps its results, with its cap and the gateway\'s then the tool\'s redaction paths; no other tool', () => {
    expect(resultRetentions(gateway, vs, servers)).toEqual({
      'tickets__get_ticket': { mode: 'payload', maxBytes: 512, redact: ['**.password', 'structuredContent.email'] },
      'wiki__get_page': { mode: 'digest', maxBytes: 4096, redact: ['**.password'] },
    });
  });

  it('reads back, as the control plane parses the route\'s gRPC metadata, dropping what is not well formed', () => {
    const sent = JSON.stringify(resultRetentions(gateway, vs, servers));
    expect(parseResultRetentions(sent)).toEqual(JSON.parse(sent));
    expect(parseResultRetentions(JSON.stringify({ a: { mode: 'all', maxBytes: 1, redact: [] }, b: { mode: 'digest', maxBytes: 9, redact: [1, 'x'] } })))
      .toEqual({ b: { mode: 'digest', maxBytes: 9, redact: ['x'] } });
    expect(parseResultRetentions('not json')).toEqual({});
    expect(parseResultRetentions(undefined)).toEqual({});
  });
});
