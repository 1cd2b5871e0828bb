import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../source/read-tree.ts';
import { readToolLock } from './read-tool-lock.ts';

const file = (found: Partial<SourceFile>) => ({ readReferenced: (path: string): SourceFile => ({ path, kind: 'jwks', ...found }) });

describe('the tool lock compile stage', () => {
  it('pins nothing when the repository has no lock', () => {
    expect(readToolLock(file({ readError: 'file not found' }))).toEqual({ value: { lock: { servers: {} } }, diagnostics: [] });
  });

  it('stops the compile with tool-lock-invalid at the lock when it is not one', () => {
    const { value, diagnostics } = readToolLock(file({ text: 'servers: []\n' }));
    expect(value).toBeUndefined();
    expect(diagnostics).toMatchObject([{ code: 'tool-lock-invalid', severity: 'error', location: { file: 'tools.lock.yaml', line: 1 } }]);
  });
});
