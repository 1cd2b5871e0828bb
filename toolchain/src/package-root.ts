// Where Gatehouse's own files are: the folder holding its package.json. The code runs from its
// TypeScript sources (toolchain/src/, in a clone and in the tests) and from the compiled JavaScript
// (lib/toolchain/src/, in the installed package), so the depth below the root differs; walking up to
// the package.json with Gatehouse's name finds the root from either.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAMES: ReadonlySet<string> = new Set(['gatehouse', '@gatehouse-mcp/gatehouse']);

let cached: string | undefined;

/** The root of the Gatehouse package (or clone): the nearest folder above this file whose package.json is Gatehouse's. */
export function packageRoot(): string {
  cached ??= findRoot(dirname(fileURLToPath(import.meta.url)));
  return cached;
}

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isGatehousePackage(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json named ${[...NAMES].join(' or ')} above ${start}`);
  }
}

function isGatehousePackage(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const { name } = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown };
    return typeof name === 'string' && NAMES.has(name);
  } catch {
    return false;
  }
}
