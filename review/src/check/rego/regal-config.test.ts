import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { gatehouseRegalConfig, mergedRegalConfig } from './regal-config.ts';

const BASE = 'rules:\n  imports:\n    unresolved-reference:\n      except-paths: [data.registry]\n  style:\n    line-length:\n      max-line-length: 120\n';

describe('the Regal configuration a repository is linted with', () => {
  it('is Gatehouse\'s own when the repository has none', () => {
    expect(mergedRegalConfig(undefined)).toBe(gatehouseRegalConfig());
    expect(gatehouseRegalConfig()).toContain('data.gatehouse.org.deny');
  });

  it('takes the repository\'s values over Gatehouse\'s, and joins lists', () => {
    const own = 'rules:\n  imports:\n    unresolved-reference:\n      except-paths: [data.acme]\n  style:\n    line-length:\n      level: ignore\n';
    expect(parse(mergedRegalConfig(own, BASE))).toEqual({
      rules: {
        imports: { 'unresolved-reference': { 'except-paths': ['data.registry', 'data.acme'] } },
        style: { 'line-length': { 'max-line-length': 120, level: 'ignore' } },
      },
    });
  });

  it('passes a configuration that is not a mapping to Regal unchanged, so Regal reports it', () => {
    expect(mergedRegalConfig('- a list\n', BASE)).toBe('- a list\n');
    expect(mergedRegalConfig('', BASE)).toBe(BASE);
  });
});
