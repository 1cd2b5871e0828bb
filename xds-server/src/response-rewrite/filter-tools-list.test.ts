import { describe, expect, it } from 'vitest';
import { filterToolsList } from './filter-tools-list.ts';

const tools = [
  { name: 'search', description: 'Search.', inputSchema: { type: 'object' } },
  { name: 'delete', description: 'Delete.', inputSchema: { type: 'object' } },
];
const response = JSON.stringify({ jsonrpc: '2.0', id: 3, result: { tools, nextCursor: 'c2' } });
type ToolsResponse = { result: { tools: unknown[] } };

describe('filterToolsList', () => {
  it('keeps only allowed tools in a JSON response, leaving everything else as it was', () => {
    const out = filterToolsList(response, new Set(['search']));
    expect(JSON.parse(out.body)).toEqual({ jsonrpc: '2.0', id: 3, result: { tools: [tools[0]], nextCursor: 'c2' } });
    expect(out).toMatchObject({ kept: 1, removed: 1 });
  });

  it('filters the JSON-RPC messages carried by server-sent events', () => {
    const sse = `event: message\nid: 7\ndata: ${response}\n\n`;
    const out = filterToolsList(sse, new Set(['delete']));
    const data = out.body.split('\n').find((l) => l.startsWith('data: '))!;
    expect((JSON.parse(data.slice(6)) as ToolsResponse).result.tools).toEqual([tools[1]]);
    expect(out.body.startsWith('event: message\nid: 7\n')).toBe(true);
  });

  it('hides every tool from a caller allowed none', () => {
    const filtered = filterToolsList(response, new Set());
    expect((JSON.parse(filtered.body) as ToolsResponse).result.tools).toEqual([]);
  });

  it('leaves bodies that are not tool lists alone', () => {
    for (const body of ['{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no"}}', 'not json']) {
      expect(filterToolsList(body, new Set()).body).toBe(body);
    }
  });
});
