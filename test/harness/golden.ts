// Golden files: compare output with a checked-in file, or rewrite it when UPDATE_GOLDEN=1
// (`npm run test:update-golden`). Golden diffs are reviewed like code.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

export const UPDATING = process.env.UPDATE_GOLDEN === '1';

export function expectGolden(actual: string, path: string): void {
  if (UPDATING) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing; run \`npm run test:update-golden\` and review the new file`);
  expect(actual, `${path} differs; if the change is intended, run \`npm run test:update-golden\` and review the diff`).toBe(readFileSync(path, 'utf8'));
}

/** JSON with sorted keys and a final newline: the canonical form of golden files. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
