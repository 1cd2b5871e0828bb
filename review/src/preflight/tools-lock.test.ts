import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockTool, renderToolLock } from '../../../compiler/src/tool-lock/lock-file.ts';
import { readToolsLock, TOOLS_LOCK_FILE } from './tools-lock.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function rootWithLock(text: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-lock-'));
  dirs.push(root);
  if (text !== undefined) writeFileSync(join(root, TOOLS_LOCK_FILE), text);
  return root;
}

describe('readToolsLock', () => {
  it('reads the pinned tools of each server from the lock gatehouse discover writes', () => {
    const text = renderToolLock({
      servers: {
        docs: [lockTool({ name: 'get', description: 'One page.' }), lockTool({ name: 'search', description: 'Search.' })],
        crm: [lockTool({ name: 'find', description: 'Find a customer.' })],
      },
    });
    const lock = readToolsLock(rootWithLock(text));
    expect('pinned' in lock ? [...lock.pinned].sort() : lock.problem).toEqual(['crm/find', 'docs/get', 'docs/search']);
  });

  it('says why nothing is pinned when the lock is missing or is not a lock', () => {
    expect(readToolsLock(rootWithLock(undefined))).toEqual({ problem: 'tools.lock.yaml does not exist: no tool definition is pinned' });
    expect(readToolsLock(rootWithLock('servers: [unclosed'))).toMatchObject({ problem: expect.stringMatching(/^tools\.lock\.yaml: not valid YAML/) as string });
    expect(readToolsLock(rootWithLock('servers: {}\n'))).toMatchObject({ problem: expect.stringMatching(/format is not gatehouse\.dev\/tools-lock\/v1/) as string });
  });
});
