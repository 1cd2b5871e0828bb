// The golden cases: small repositories under cases/<name>/, plus the example registry as "example".
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXAMPLE_ROOT } from '../../testkit/repo.ts';

const CASES = resolve(import.meta.dirname, 'cases');

export interface GoldenCase {
  readonly name: string;
  readonly root: string;
  readonly expected: string;
}

export const goldenCases: readonly GoldenCase[] = [
  { name: 'example', root: EXAMPLE_ROOT, expected: join(CASES, 'example', 'expected') },
  ...readdirSync(CASES)
    .filter((name) => existsSync(join(CASES, name, 'registry')))
    .sort()
    .map((name) => ({ name, root: join(CASES, name), expected: join(CASES, name, 'expected') })),
];
