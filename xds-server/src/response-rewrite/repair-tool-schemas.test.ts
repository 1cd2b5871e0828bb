import { describe, expect, it } from 'vitest';
import { repairToolSchemas } from './repair-tool-schemas.ts';

const list = (tools: unknown[]) => JSON.stringify({ jsonrpc: '2.0', id: 4, result: { tools } });
type Listed = { result: { tools: Record<string, unknown>[] } };

describe('repairToolSchemas', () => {
  it('puts back the empty properties mcp_router writes as null, and nothing else', () => {
    // What Envoy 1.40's mcp_router sends for a tool without arguments (test/e2e/aggregated-fidelity.test.ts pins it).
    const out = repairToolSchemas(list([{ name: 'a__now', description: 'Now.', inputSchema: { properties: null, type: 'object' } }]));
    expect(out.repaired).toBe(1);
    expect((JSON.parse(out.body) as Listed).result.tools).toEqual([{ name: 'a__now', description: 'Now.', inputSchema: { properties: {}, type: 'object' } }]);
  });

  it('repairs nested schemas and list keywords, drops null optional tool fields, and leaves data keywords alone', () => {
    const tool = {
      name: 't',
      annotations: null,
      inputSchema: {
        type: 'object',
        required: null,
        additionalProperties: null,
        properties: { o: { type: 'object', properties: null, default: null }, e: { enum: [null, 'x'] } },
      },
    };
    const out = repairToolSchemas(list([tool]));
    expect((JSON.parse(out.body) as Listed).result.tools[0]).toEqual({
      name: 't',
      inputSchema: {
        type: 'object',
        required: [],
        additionalProperties: {},
        properties: { o: { type: 'object', properties: {}, default: null }, e: { enum: [null, 'x'] } },
      },
    });
    expect(out.repaired).toBe(4);
  });

  it('returns a body it had nothing to repair byte for byte, event streams included', () => {
    const json = list([{ name: 'x', inputSchema: { type: 'object', properties: {} } }]);
    const sse = `event: message\ndata: ${json}\n\n`;
    for (const body of [json, sse, 'not json']) expect(repairToolSchemas(body)).toEqual({ body, repaired: 0 });
  });
});
