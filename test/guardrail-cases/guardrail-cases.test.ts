// Runs the guardrail decision corpus (cases.yaml) against the example organisation's guardrails,
// compiled as the control plane loads them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { GUARDRAILS_FILE } from '../../artifacts/src/layout.ts';
import { isGuardrailSet } from '../../artifacts/src/guardrails/guardrail-set.ts';
import { compile } from '../../compiler/src/pipeline/compile.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { GuardrailEngine } from '../../xds-server/src/guardrails/guardrail-engine.ts';
import { inspect } from '../../xds-server/src/guardrails/inspect.ts';
import { EXAMPLE_ROOT } from '../../testkit/repo.ts';

interface Case {
  name: string;
  call: { virtual_server: string; tool: string; direction: 'arguments' | 'results' };
  content: unknown;
  want: { blocked?: string; value?: unknown; hits?: string[]; unguarded?: boolean };
}

const cases = parse(readFileSync(join(import.meta.dirname, 'cases.yaml'), 'utf8')) as Case[];
let engine: GuardrailEngine;

beforeAll(async () => {
  const result = await compile({ root: EXAMPLE_ROOT, revision: 'guardrail-cases', skipEnvoyValidate: true }, SILENT);
  const file = result.files?.find((f) => f.path === GUARDRAILS_FILE);
  const set: unknown = JSON.parse(Buffer.from(file?.bytes ?? []).toString('utf8'));
  if (!isGuardrailSet(set)) throw new Error('the example compiles to no guardrail set');
  engine = new GuardrailEngine(set);
}, 120_000);

describe('guardrail decision corpus', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const guard = engine.forCall(c.call.virtual_server, c.call.tool);
    if (c.want.unguarded) {
      expect(guard).toBeUndefined();
      return;
    }
    expect(guard).toBeDefined();
    const result = await inspect(c.content, guard?.rules ?? [], c.call.direction);
    expect(result.hits.map((h) => `${h.detector} ${h.action}`)).toEqual(c.want.hits ?? []);
    expect(result.blocked?.rule).toBe(c.want.blocked);
    expect(result.value).toEqual(c.want.value ?? c.content);
  });
});
