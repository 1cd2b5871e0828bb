// `gatehouse init [DIR]`: scaffolds a policy repository from the template shipped in the package
// (init-template/): a commented example registry, policies/ with an example organisation rule and
// its test, package.json pinning this Gatehouse version, the CI workflow, editor schema hints, a
// .gitignore and a README. It never overwrites a file: a non-empty DIR is refused unless --force,
// and even then existing files are kept (and listed).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { packageRoot, packageVersion } from '../../toolchain/src/package-root.ts';
import { parseFlags } from './args.ts';
import { UsageError } from './usage-error.ts';

export const INIT_USAGE = 'Usage: gatehouse init [DIR] [--force]';

/** The name policy repositories depend on (the unscoped `gatehouse` on npm is an unrelated package). */
export const PACKAGE_NAME = '@gatehouse-mcp/gatehouse';

/** What scaffolding wrote and what it left as it was. */
export interface Scaffolded {
  readonly written: readonly string[];
  readonly kept: readonly string[];
}

export function run(argv: readonly string[]): number {
  const { values, positionals } = parseFlags(argv, { force: { type: 'boolean' } }, true);
  if (values.help) {
    process.stdout.write(`${INIT_USAGE}\n  Creates a policy repository in DIR (default: the current folder), which must be empty unless --force.\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`init takes one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  const dir = resolve(positionals[0] ?? '.');
  const present = existingEntries(dir);
  if (present.length > 0 && values.force !== true) {
    process.stderr.write(
      `gatehouse init: ${dir} is not empty (${present.slice(0, 5).join(', ')}${present.length > 5 ? ', ...' : ''}). ` +
        'Use an empty or new folder, or pass --force to add the files that are missing (existing files are never overwritten).\n',
    );
    return 1;
  }
  const result = scaffold(dir);
  for (const path of result.written) process.stdout.write(`  created ${path}\n`);
  for (const path of result.kept) process.stdout.write(`  kept    ${path} (exists; not overwritten)\n`);
  const here = relative(process.cwd(), dir);
  const cd = here.startsWith('..') ? dir : here;
  process.stdout.write(
    `\nA policy repository for ${PACKAGE_NAME} ${packageVersion()} is in ${dir}. Next:\n` +
      `${cd ? `  cd ${cd}\n` : ''}  npm install        # Gatehouse and its pinned tools; commit package-lock.json\n` +
      '  npx gatehouse check\n  npx gatehouse test\n',
  );
  return 0;
}

/** Writes the template into dir, substituting the version and names; files that exist are kept. */
export function scaffold(dir: string, version: string = packageVersion()): Scaffolded {
  const template = join(packageRoot(), 'init-template');
  const values: Record<string, string> = { VERSION: version, PACKAGE: PACKAGE_NAME, NAME: repositoryName(dir) };
  const written: string[] = [];
  const kept: string[] = [];
  for (const source of templateFiles(template)) {
    const path = targetPath(relative(template, source));
    const target = join(dir, path);
    if (existsSync(target)) {
      kept.push(path);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    const text = readFileSync(source, 'utf8').replace(/\{\{(VERSION|PACKAGE|NAME)\}\}/g, (_, key: string) => values[key] ?? '');
    writeFileSync(target, text, { flag: 'wx' });
    written.push(path);
  }
  return { written: written.sort(), kept: kept.sort() };
}

/**
 * A template path as written: a `dot-` name becomes a dotfile (npm leaves .gitignore out of packages)
 * and `.tmpl` is dropped (the template's package.json must not look like a package to tools).
 */
function targetPath(path: string): string {
  return path
    .split(sep)
    .map((part) => part.replace(/^dot-/, '.').replace(/\.tmpl$/, ''))
    .join('/');
}

/** A valid npm package name from the folder's name. */
function repositoryName(dir: string): string {
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '');
  return name || 'mcp-policy';
}

/** What the folder holds, a git repository's own folder aside. */
function existingEntries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name !== '.git').sort();
}

function* templateFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* templateFiles(path);
    else if (entry.isFile()) yield path;
  }
}
