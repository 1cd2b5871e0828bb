import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readToolsLock, TOOLS_LOCK_FILE } from './tools-lock.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function rootWithLock(text: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-lock-'));
  dirs.push(root);
  mkdirSync(join(root, 'registry'));
  if (text !== undefined) writeFileSync(join(root, TOOLS_LOCK_FILE), text);
  return root;
}

const pinned = (text: string) => {
  const lock = readToolsLock(rootWithLock(text));
  return 'pinned' in lock ? [...lock.pinned].sort() : lock.problem;
};

describe('readToolsLock', () => {
  it('reads the pinned tools of each server, whichever shape the lock takes', () => {
    expect(pinned('servers:\n  docs:\n    tools:\n      - name: search\n      - name: get\n')).toEqual(['docs/get', 'docs/search']);
    expect(pinned('servers:\n  docs:\n    tools:\n      search: {sha256: abc}\n')).toEqual(['docs/search']);
    expect(pinned('servers:\n  - name: docs\n    tools: [{name: search}]\n')).toEqual(['docs/search']);
    expect(pinned('tools:\n  - {server: docs, name: search}\n  - {server: crm, tool: find}\n')).toEqual(['crm/find', 'docs/search']);
  });

  it('says why nothing is pinned when the lock is missing or is not YAML', () => {
    const missing = readToolsLock(rootWithLock(undefined));
    expect(missing).toEqual({ problem: 'registry/tools.lock.yaml does not exist: no tool definition is pinned' });
    expect(pinned('servers: [unclosed')).toMatch(/^registry\/tools\.lock\.yaml is not YAML: /);
  });
});
