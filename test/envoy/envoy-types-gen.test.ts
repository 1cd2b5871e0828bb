// The committed Envoy API types (artifacts/src/envoy-types/) are exactly what the generator makes
// from the pinned Envoy API: a new API pin, a generator change or a new emitted message type must
// come with regenerated files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ENVOY_TYPES_DIR, generateEnvoyTypes } from '../../scripts/gen-envoy-types.ts';
import { requireTool } from '../../toolchain/src/tools.ts';

const STALE = 'artifacts/src/envoy-types/ is out of date: run `npm run gen:envoy-types` and commit the result';

function committedFiles(): Map<string, string> {
  const names = readdirSync(ENVOY_TYPES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(ENVOY_TYPES_DIR, name)).isFile())
    .sort();
  return new Map(names.map((name) => [name, readFileSync(join(ENVOY_TYPES_DIR, name), 'utf8')]));
}

it('the committed Envoy API types are what `npm run gen:envoy-types` generates', () => {
  const generated = generateEnvoyTypes(readFileSync(requireTool('envoy-api')));
  const committed = committedFiles();
  expect([...committed.keys()], STALE).toEqual([...generated.keys()].sort());
  for (const [name, content] of generated) expect(committed.get(name) === content, `${name}: ${STALE}`).toBe(true);
}, 120_000);
