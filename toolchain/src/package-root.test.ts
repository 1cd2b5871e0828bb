import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { basePolicyDir, findPackageRoot, packageRoot } from './package-root.ts';

const work = mkdtempSync(join(tmpdir(), 'gatehouse-package-root-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const manifest = (dir: string, name: string) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name }));
};

describe('the root of the Gatehouse package', () => {
  it('is the nearest folder above holding a package.json named as Gatehouse, at any depth (source or dist/)', () => {
    const installed = join(work, 'repo', 'node_modules', '@gatehouse-mcp', 'gatehouse');
    manifest(join(work, 'repo'), 'acme-mcp-policy');
    manifest(installed, '@gatehouse-mcp/gatehouse');
    manifest(join(installed, 'dist', 'nested'), 'not-gatehouse');
    const deep = join(installed, 'dist', 'nested', 'toolchain', 'src');
    mkdirSync(deep, { recursive: true });
    expect(findPackageRoot(deep)).toBe(installed);
    expect(() => findPackageRoot(join(work, 'repo'))).toThrow(/package.json/);
  });

  it('holds the base policy of the running code', () => {
    expect(existsSync(join(packageRoot(), 'package.json'))).toBe(true);
    expect(existsSync(join(basePolicyDir(), 'gatehouse', 'authz', 'decision.rego'))).toBe(true);
  });
});
