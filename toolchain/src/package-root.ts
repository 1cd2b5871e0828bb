// Where Gatehouse's own package is installed: the folder holding its package.json. Found by walking up
// from this module, so it holds whether the code runs from source or compiled (from lib/), and whether
// Gatehouse is this clone or a dependency in a policy repository's node_modules.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The names Gatehouse's package.json may carry (the scoped name is the published one). */
const PACKAGE_NAMES: ReadonlySet<string> = new Set(['gatehouse', '@gatehouse-mcp/gatehouse']);

let cached: string | undefined;

/** The folder holding Gatehouse's package.json (the nearest one above this module named as Gatehouse). */
export function packageRoot(): string {
  cached ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return cached;
}

/** The nearest folder at or above `from` holding a package.json named as Gatehouse. */
export function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && PACKAGE_NAMES.has(packageName(manifest))) return dir;
    if (dirname(dir) === dir) throw new Error(`Gatehouse's package.json (name gatehouse or @gatehouse-mcp/gatehouse) is not above ${from}`);
  }
}

function packageName(manifest: string): string {
  try {
    const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
    return typeof name === 'string' ? name : '';
  } catch {
    return '';
  }
}

/** Gatehouse's base policy (package `gatehouse.*`), shipped in the package and built with every repository's rules. */
export function basePolicyDir(): string {
  return join(packageRoot(), 'base-policy');
}

/** The version of the running Gatehouse package. */
export function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : '0.0.0';
}
