import { describe, expect, it } from 'vitest';
import { memberTool, pinVerdict, type ToolPinTable } from './pin-table.ts';
import { canonicalJson, toolHashes } from './tool-definition.ts';

const pinned = toolHashes({ name: 'get_page', description: 'The full text of one page.', inputSchema: { type: 'object' } }).definition;
const table: ToolPinTable = {
  servers: { docs: { enforced: true, tools: { get_page: pinned } }, tickets: { enforced: false, tools: {} } },
  virtualServers: { knowledge: { aggregated: false, members: ['docs'] }, helpdesk: { aggregated: true, members: ['docs', 'tickets'] } },
};

describe('tool definition hashes', () => {
  it('do not depend on key order, and change with any pinned part', () => {
    const a = toolHashes({ name: 't', description: 'd', inputSchema: { type: 'object', properties: { a: { type: 'string' } } } });
    const b = toolHashes({ inputSchema: { properties: { a: { type: 'string' } }, type: 'object' }, description: 'd', name: 't' });
    expect(b).toEqual(a);
    const changed = toolHashes({ name: 't', description: 'd.', inputSchema: { type: 'object', properties: { a: { type: 'string' } } } });
    expect(changed.definition).not.toBe(a.definition);
    expect(canonicalJson({ b: [1, 'x'], a: null })).toBe('{"a":null,"b":[1,"x"]}');
  });
});

describe('pin verdicts', () => {
  it('pass the pinned definition and refuse a changed, an unpinned or an unverified one', () => {
    expect(pinVerdict(table, 'docs', 'get_page', pinned)).toEqual({ pass: true });
    expect(pinVerdict(table, 'docs', 'get_page', 'f'.repeat(64))).toMatchObject({ pass: false, reason: 'changed' });
    expect(pinVerdict(table, 'docs', 'export_all', pinned)).toMatchObject({ pass: false, reason: 'unpinned' });
    expect(pinVerdict(table, 'docs', 'get_page', undefined)).toMatchObject({ pass: false, reason: 'unverified' });
    expect(pinVerdict(table, 'tickets', 'anything', undefined)).toEqual({ pass: true });
  });

  it('find the server behind a public name, prefixed on an aggregated virtual server', () => {
    expect(memberTool(table, 'knowledge', 'get_page')).toEqual({ server: 'docs', tool: 'get_page' });
    expect(memberTool(table, 'helpdesk', 'tickets__get_ticket')).toEqual({ server: 'tickets', tool: 'get_ticket' });
    expect(memberTool(table, 'helpdesk', 'payments__refund')).toBeUndefined();
  });
});
