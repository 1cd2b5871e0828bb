// What readTree and readReferencedFile will read: files inside the root (links included, when they
// stay inside), nothing outside it, nothing over the size limit, and no waiting on a FIFO.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../testkit/repo.ts';
import { MAX_FILE_BYTES } from './limits.ts';
import { readReferencedFile, readTree } from './read-tree.ts';

let work: ReturnType<typeof tempDir>;
afterEach(() => work.remove());

function repo(): string {
  work = tempDir('gatehouse-read-tree-');
  const root = join(work.path, 'repo');
  mkdirSync(join(root, 'registry', 'teams'), { recursive: true });
  mkdirSync(join(root, 'policies'), { recursive: true });
  mkdirSync(join(work.path, 'outside'));
  return root;
}

describe('readTree', () => {
  it('follows a link that stays inside the root', () => {
    const root = repo();
    mkdirSync(join(root, 'shared'));
    writeFileSync(join(root, 'shared', 'team.yaml'), 'kind: Team\n');
    symlinkSync('../../shared/team.yaml', join(root, 'registry', 'teams', 'linked.yaml'));
    const tree = readTree(root);
    expect(tree.refused).toEqual([]);
    expect(tree.files).toEqual([{ path: 'registry/teams/linked.yaml', kind: 'registry', text: 'kind: Team\n' }]);
  });

  it('refuses a link to a file outside the root, without reading it', () => {
    const root = repo();
    writeFileSync(join(work.path, 'outside', 'secret.yaml'), 'password: hunter2\n');
    symlinkSync(join(work.path, 'outside', 'secret.yaml'), join(root, 'registry', 'teams', 'secret.yaml'));
    const tree = readTree(root);
    expect(tree.files).toEqual([]);
    expect(tree.refused.map((d) => [d.code, d.location?.file])).toEqual([['path-outside-root', 'registry/teams/secret.yaml']]);
    expect(JSON.stringify(tree.refused)).not.toContain('hunter2');
  });

  it('refuses a file over the limit and reads one at the limit', () => {
    const root = repo();
    writeFileSync(join(root, 'registry', 'teams', 'at-limit.yaml'), '#'.repeat(MAX_FILE_BYTES));
    writeFileSync(join(root, 'registry', 'teams', 'over.yaml'), '#'.repeat(MAX_FILE_BYTES + 1));
    const tree = readTree(root);
    expect(tree.files.map((f) => f.path)).toEqual(['registry/teams/at-limit.yaml']);
    expect(tree.refused.map((d) => d.code)).toEqual(['file-too-large']);
  });

  it('reports a link to a FIFO as unreadable instead of waiting on it', () => {
    const root = repo();
    execFileSync('mkfifo', [join(root, 'pipe')]);
    symlinkSync('../../pipe', join(root, 'registry', 'teams', 'pipe.yaml'));
    const tree = readTree(root);
    expect(tree.files).toEqual([{ path: 'registry/teams/pipe.yaml', kind: 'registry', readError: 'not a regular file' }]);
  });
});

describe('readReferencedFile', () => {
  it('reads a file inside the root', () => {
    const root = repo();
    writeFileSync(join(root, 'registry', 'jwks.json'), '{"keys":[]}');
    expect(readReferencedFile(root, 'registry/jwks.json')).toEqual({ path: 'registry/jwks.json', kind: 'jwks', text: '{"keys":[]}' });
  });

  it.each([
    ['a path through ..', '../outside/jwks.json'],
    ['an absolute path', '/etc/hostname'],
    ['a link out of the root', 'registry/link.json'],
  ])('refuses %s', (_what, path) => {
    const root = repo();
    writeFileSync(join(work.path, 'outside', 'jwks.json'), '{"keys":[]}');
    symlinkSync(join(work.path, 'outside', 'jwks.json'), join(root, 'registry', 'link.json'));
    const file = readReferencedFile(root, path);
    expect(file.refused).toBe('path-outside-root');
    expect(file.text).toBeUndefined();
  });
});
