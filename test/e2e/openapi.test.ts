// A REST service offered as MCP tools from its OpenAPI document (issue 15), end to end through the
// real Envoy 1.40 with an MCP SDK client: the example organisation's inventory service, whose tools
// Envoy's mcp_json_rest_bridge turns into REST calls. Grants, the per-caller tools/list, the injected
// credential and the audit record apply to generated tools as to any other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRestServer } from '../../demo/src/backends/inventory-api.ts';
import { requestRecords } from '../../testkit/audit-fixtures.ts';
import { eventually, startTestStack, type TestStack } from '../harness/stack.ts';

let stack: TestStack;
let inventory: RunningRestServer;
beforeAll(async () => {
  stack = await startTestStack();
  inventory = stack.backends.servers.get('inventory') as RunningRestServer;
});
// `stack` is unset when beforeAll failed.
afterAll(async () => (stack as TestStack | undefined)?.dispose());

const text = (result: Record<string, unknown>) => JSON.stringify(result.content);

describe('an OpenAPI server through the REST bridge', () => {
  it('lists only the granted generated tools, with their input schemas', async () => {
    const sam = (await stack.tokenFor('support', { sub: 'sam' }))!;
    const client = await stack.connect('inventory', sam);
    const { tools } = await client.listTools();
    await client.close();
    expect(tools.map((t) => t.name).sort()).toEqual(['get_item', 'list_items']);
    const getItem = tools.find((t) => t.name === 'get_item')!;
    expect(getItem.description).toBe('One item, with its stock level.');
    expect(getItem.inputSchema).toMatchObject({ type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } });
  });

  it('makes the REST call of an allowed tool, with the injected credential and not the caller\'s token', async () => {
    const sam = (await stack.tokenFor('support', { sub: 'sam' }))!;
    const client = await stack.connect('inventory', sam);
    const before = inventory.requests.length;
    const item = await client.callTool({ name: 'get_item', arguments: { sku: 'HW-100' } });
    expect(item.isError).toBe(false);
    expect(text(item)).toContain('Laptop dock');
    const missing = await client.callTool({ name: 'get_item', arguments: { sku: 'HW-999' } });
    expect([missing.isError, text(missing)]).toEqual([true, expect.stringContaining('no item HW-999') as unknown]);
    const listed = await client.callTool({ name: 'list_items', arguments: { category: 'hardware', limit: 1 } });
    expect(text(listed)).toContain('HW-100');
    expect(text(listed)).not.toContain('HW-200');
    await client.close();

    const made = inventory.requests.slice(before);
    expect(made.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
    expect(made.slice(0, 2).map((r) => r.url)).toEqual(['/api/v1/items/HW-100', '/api/v1/items/HW-999']);
    const query = new URL(made[2]!.url, 'http://x');
    expect([query.pathname, query.searchParams.get('category'), query.searchParams.get('limit')]).toEqual(['/api/v1/items', 'hardware', '1']);
    for (const r of made) {
      expect(r.headers['x-api-key'], 'the credential the gateway injects').toBeTypeOf('string');
      expect(r.headers.authorization, 'the caller\'s token never reaches the service').toBeUndefined();
    }
  });

  it('refuses a tool the caller has no grant for, before any REST call', async () => {
    const sam = (await stack.tokenFor('support', { sub: 'sam' }))!;
    const client = await stack.connect('inventory', sam);
    const before = inventory.requests.length;
    const refused = await client.callTool({ name: 'reserve_item', arguments: { sku: 'HW-100', body: { quantity: 1, order: 'O-9' } } }).then(
      (r) => r,
      (e: unknown) => e,
    );
    await client.close();
    expect(refused instanceof Error ? refused.message : JSON.stringify(refused)).toContain('team support has no grant for inventory/reserve_item');
    expect(inventory.requests.length).toBe(before);
  });

  it('sends the request body of a granted write, and records calls in the audit log', async () => {
    const eve = (await stack.tokenFor('engineering', { sub: 'eve' }))!;
    const client = await stack.connect('inventory', eve);
    const before = inventory.requests.length;
    const reserved = await client.callTool({ name: 'reserve_item', arguments: { sku: 'HW-200', body: { quantity: 2, order: 'O-1' } } });
    await client.close();
    expect(text(reserved)).toContain('"quantity\\":2');
    const made = inventory.requests.slice(before);
    expect(made.map((r) => [r.method, r.url, r.body])).toEqual([['POST', '/api/v1/items/HW-200/reservations', { quantity: 2, order: 'O-1' }]]);

    const calls = () => requestRecords(stack.auditDir).filter((r) => r.method === 'tools/call' && r.virtual_server === 'inventory');
    await eventually(() => Promise.resolve(calls().length >= 4), 15_000, 'the audit log has the inventory calls');
    const seen = calls().map((r) => ({ sub: r.subject.sub, tool: `${r.server ?? ''}/${r.tool ?? ''}`, decision: r.decision, cost: r.cost }));
    expect(seen).toEqual(
      expect.arrayContaining([
        { sub: 'sam', tool: 'inventory/get_item', decision: 'allow', cost: 0 },
        { sub: 'sam', tool: 'inventory/reserve_item', decision: 'deny', cost: 0 },
        { sub: 'eve', tool: 'inventory/reserve_item', decision: 'allow', cost: 0.001 },
      ]),
    );
  });
});
