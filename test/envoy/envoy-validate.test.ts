// Every emitted xDS document is accepted by the real Envoy 1.40 (`envoy --mode validate` on a
// bootstrap carrying the same resources statically), so the encoding cannot drop fields silently.
import { describe, expect, it } from 'vitest';
import { checkAgainstEnvoyApi } from '../../compiler/src/emit/xds/proto-check.ts';
import { envoyValidate } from '../../compiler/src/emit/xds/envoy-validate.ts';
import type { FleetResources } from '../../artifacts/src/fleet-resources.ts';
import { translateFleets } from '../../compiler/src/emit/xds/translate.ts';
import { loadRegistry } from '../../compiler/src/pipeline/load-registry.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { goldenCases } from '../golden/cases.ts';

const fleets = goldenCases.flatMap((c) => {
  const ir = loadRegistry(c.root, SILENT).ir;
  return ir ? translateFleets(ir).map((fleet) => ({ name: `${c.name}/${fleet.fleet}`, fleet })) : [];
});

describe('Envoy accepts every emitted configuration', () => {
  it('covers several cases and fleets', () => {
    expect(fleets.map((f) => f.name)).toEqual(expect.arrayContaining(['example/default', 'minimal/edge', 'multi-fleet/edge', 'multi-fleet/internal']));
  });
  for (const { name, fleet } of fleets) {
    it(`${name}: matches the Envoy 1.40 API and passes envoy --mode validate`, async () => {
      expect(checkAgainstEnvoyApi(fleet)).toEqual([]);
      expect(await envoyValidate(fleet)).toBeUndefined();
    });
  }
});

describe('the checks can fail', () => {
  const example = fleets.find((f) => f.name === 'example/default')!.fleet;
  const withListenerField = (field: Record<string, unknown>): FleetResources => ({
    ...example,
    listeners: example.listeners.map((l, i) => (i === 0 ? { ...l, ...field } : l)),
  });

  it('a misspelt field is caught by the Envoy API check', () => {
    const problems = checkAgainstEnvoyApi(withListenerField({ per_conection_buffer_limit_bytes: 1 }));
    expect(problems.join('\n')).toMatch(/per_conection_buffer_limit_bytes/);
  });

  it('a value Envoy refuses is caught by envoy --mode validate', async () => {
    // Well-formed for the API, but a port Envoy cannot use: only Envoy itself knows.
    const reason = await envoyValidate(withListenerField({ address: { socket_address: { address: 'not-an-ip', port_value: 10000 } } }));
    expect(reason).toMatch(/not-an-ip|malformed IP address/i);
  });
});
