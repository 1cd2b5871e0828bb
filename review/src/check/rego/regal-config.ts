// The Regal configuration a repository's Rego is linted with: Gatehouse's own (base-policy/regal.yaml,
// shipped in the package) with the repository's optional .regal/config.yaml merged over it. A repository
// needs no Regal configuration of its own; when it has one, its values win and its lists add to Gatehouse's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { basePolicyDir } from '../../../../toolchain/src/package-root.ts';

/** The text of Gatehouse's Regal configuration. */
export function gatehouseRegalConfig(): string {
  return readFileSync(join(basePolicyDir(), 'regal.yaml'), 'utf8');
}

/**
 * Gatehouse's configuration with the repository's merged over it. A repository configuration that is
 * not a YAML mapping is returned as it is, so Regal reports the problem.
 */
export function mergedRegalConfig(repositoryConfig: string | undefined, base: string = gatehouseRegalConfig()): string {
  if (repositoryConfig === undefined) return base;
  let own: unknown;
  try {
    own = parse(repositoryConfig);
  } catch {
    return repositoryConfig;
  }
  if (own === null || own === undefined) return base;
  if (!isMapping(own)) return repositoryConfig;
  return stringify(merge(parse(base), own));
}

function merge(base: unknown, over: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(over)) return [...new Set([...(base as unknown[]), ...(over as unknown[])])];
  if (!isMapping(base) || !isMapping(over)) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = key in base ? merge(base[key], value) : value;
  return merged;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
