// The tool lock's format, as `gatehouse discover` writes it: deterministic (servers, tools and keys
// sorted), each pinned part with its sha256 and its text for review. Reading it back gives the same lock.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockTool, parseToolLock, renderToolLock, type ToolLock } from '../../compiler/src/tool-lock/lock-file.ts';
import { expectGolden } from '../harness/golden.ts';

const lock: ToolLock = {
  servers: {
    tickets: [lockTool({ name: 'get_ticket', description: 'One ticket by id.', inputSchema: { type: 'object', properties: { id: { type: 'string' } } } })],
    docs: [
      lockTool({
        name: 'update_page',
        title: 'Update a page',
        description: 'Replaces the text of a page.',
        inputSchema: { required: ['slug', 'text'], type: 'object', properties: { text: { type: 'string' }, slug: { type: 'string' } } },
        outputSchema: { type: 'object', properties: { version: { type: 'integer' } } },
        annotations: { destructiveHint: false, idempotentHint: true },
        _meta: { 'not/pinned': true },
      }),
      lockTool({ name: 'get_page', description: 'The full text of one page.', inputSchema: { type: 'object' } }),
    ],
  },
};

describe('tools.lock.yaml', () => {
  it('has the reviewed format', () => {
    expectGolden(renderToolLock(lock), join(import.meta.dirname, 'tool-lock', 'tools.lock.yaml'));
  });

  it('reads back to the same lock, whatever order it was written in', () => {
    const read = parseToolLock(renderToolLock(lock));
    expect('lock' in read && renderToolLock(read.lock)).toBe(renderToolLock(lock));
  });

  it('refuses a file that is not a tool lock, with the reason', () => {
    expect(parseToolLock('servers: {}')).toEqual({ error: 'the file\'s format is not gatehouse.dev/tools-lock/v1' });
    const unhashed = 'format: gatehouse.dev/tools-lock/v1\nservers:\n  docs:\n    - name: x\n';
    expect(parseToolLock(unhashed)).toEqual({ error: 'servers.docs[0]: tool x has no sha256' });
  });
});
