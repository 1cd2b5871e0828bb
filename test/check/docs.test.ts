// docs/checks.md documents every gate: a section per code, and a table row with its default level.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../compiler/src/diagnostics/codes.ts';
import { GATE_CODES, GATE_DEFAULTS } from '../../compiler/src/schema/check-settings.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';

const page = readFileSync(join(PROJECT_ROOT, 'docs', 'checks.md'), 'utf8');

describe('docs/checks.md', () => {
  it('has a section for every gate, in the order the gates run', () => {
    const sections = page.split('\n').filter((l) => l.startsWith('### ')).map((l) => l.slice(4)).filter((h) => (GATE_CODES as readonly string[]).includes(h));
    expect(sections).toEqual([...GATE_CODES]);
  });

  it('lists every gate with its default level', () => {
    for (const code of GATE_CODES) expect(page, code).toContain(`| [\`${code}\`](#${code}) | ${GATE_DEFAULTS[code]} |`);
  });

  it('is where each gate\'s diagnostic code points', () => {
    for (const code of GATE_CODES) expect(CODES[code].description, code).toContain(`docs/checks.md#${code}`);
  });
});
