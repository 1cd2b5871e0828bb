// The control plane and the compiler load a descriptor registry reduced to the Envoy types Gatehouse
// uses (artifacts/src/envoy-api-roots.ts). This proves the reduced registry holds every type the
// compiler emits (each `@type` of the golden fleets, each type URL written in the sources) and every
// message the control plane reads or writes (each `envoyMessage('…')` in the sources), and that each
// golden fleet still passes the strict check against it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { envoyRegistry } from '../../artifacts/src/envoy-registry.ts';
import type { FleetResources } from '../../artifacts/src/fleet-resources.ts';
import { checkAgainstEnvoyApi } from '../../compiler/src/emit/xds/proto-check.ts';
import { PROJECT_ROOT, requireTool } from '../../toolchain/src/tools.ts';

const SOURCE_DIRS = ['artifacts/src', 'compiler/src', 'xds-server/src', 'demo/src', 'review/src', 'audit/src', 'cli/src'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(PROJECT_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('envoy-types'))
    .map((f) => join(PROJECT_ROOT, dir, f));
}

function goldenFleets(): { name: string; fleet: FleetResources }[] {
  const cases = join(PROJECT_ROOT, 'test/golden/cases');
  return readdirSync(cases).flatMap((c) => {
    const expected = join(cases, c, 'expected');
    let names: string[];
    try {
      names = readdirSync(expected).filter((f) => /^xds-.*\.json$/.test(f));
    } catch {
      return [];
    }
    return names.map((f) => ({ name: `${c}/${f}`, fleet: JSON.parse(readFileSync(join(expected, f), 'utf8')) as FleetResources }));
  });
}

function typesIn(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) typesIn(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === '@type' && typeof v === 'string') out.add(v.replace(/^type\.googleapis\.com\//, ''));
      else typesIn(v, out);
    }
  }
  return out;
}

const registry = envoyRegistry();
const missing = (names: Iterable<string>) => [...names].filter((n) => registry.getMessage(n) === undefined);

describe('the reduced Envoy API registry', () => {
  const fleets = goldenFleets();

  it('resolves every @type of the compiled golden fleets', () => {
    expect(fleets.length).toBeGreaterThan(0);
    const types = new Set<string>();
    for (const { fleet } of fleets) typesIn(fleet, types);
    expect(types.size).toBeGreaterThan(10);
    expect(missing(types)).toEqual([]);
  });

  it('still accepts every golden fleet in the strict check the compiler runs', () => {
    for (const { name, fleet } of fleets) expect({ name, problems: checkAgainstEnvoyApi(fleet) }).toEqual({ name, problems: [] });
  });

  it('resolves every type URL and every envoyMessage() name written in the sources', () => {
    const names = new Set<string>();
    for (const file of SOURCE_DIRS.flatMap(sourceFiles)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/type\.googleapis\.com\/([A-Za-z0-9_.]+)/g)) names.add(m[1]!);
      for (const m of text.matchAll(/envoyMessage\('([A-Za-z0-9_.]+)'\)/g)) names.add(m[1]!);
    }
    expect(names).toContain('envoy.service.auth.v3.CheckRequest');
    expect(names).toContain('envoy.service.ext_proc.v3.ProcessingRequest');
    expect(missing(names)).toEqual([]);
  });

  it('is a fraction of the whole Envoy API', () => {
    const whole = fromBinary(FileDescriptorSetSchema, readFileSync(requireTool('envoy-api')));
    expect([...registry.files].length).toBeLessThan(whole.file.length / 2);
  });
});
