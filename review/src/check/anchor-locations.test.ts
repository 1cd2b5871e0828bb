import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../compiler/src/diagnostics/diagnostic.ts';
import type { SourceTree } from '../../../compiler/src/source/read-tree.ts';
import { anchorToFiles } from './anchor-locations.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-anchor-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'policies'));
mkdirSync(join(root, 'registry'));
writeFileSync(join(root, 'registry', 'checks.yaml'), 'kind: CheckSettings\n');

const tree: SourceTree = { root, files: [{ path: 'registry/checks.yaml', kind: 'registry', text: '' }], missing: [], refused: [] };
const warning = (location?: Diagnostic['location']): Diagnostic => ({
  code: 'rego-lint', severity: 'warning', message: 'm', ...(location ? { location } : {}),
});

describe('anchorToFiles', () => {
  it('moves findings at a folder or at no place to the CheckSettings document', () => {
    const settings = { file: 'registry/checks.yaml', line: 3, column: 1 };
    const anchored = anchorToFiles([warning({ file: 'policies', line: 1, column: 1 }), warning()], tree, settings);
    expect(anchored.map((d) => d.location)).toEqual([settings, settings]);
  });

  it('keeps findings at files, also files not on disk (the base policy), and falls back to the first registry file', () => {
    const atFiles = [warning({ file: 'registry/checks.yaml', line: 1, column: 1 }), warning({ file: 'gatehouse/authz/decision.rego', line: 4, column: 2 })];
    expect(anchorToFiles(atFiles, tree)).toEqual(atFiles);
    expect(anchorToFiles([warning()], tree)[0]?.location).toEqual({ file: 'registry/checks.yaml', line: 1, column: 1 });
  });
});
