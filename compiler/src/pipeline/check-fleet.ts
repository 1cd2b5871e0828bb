// The emitted xDS of a fleet against itself (consistency) and the Envoy API; any finding is a Gatehouse bug.
import { checkConsistency } from '../../../artifacts/src/consistency.ts';
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { checkAgainstEnvoyApi } from '../emit/xds/proto-check.ts';

export function checkFleet(fleet: FleetResources): Diagnostic[] {
  const problems = [...checkConsistency(fleet), ...checkAgainstEnvoyApi(fleet)];
  return problems.map((message): Diagnostic => ({
    code: 'xds-invalid',
    severity: 'error',
    message: `fleet "${fleet.fleet}": ${message}`,
    hint: 'This is a Gatehouse bug: the emitted xDS does not match the Envoy API. Please report it.',
  }));
}

/** Envoy's own verdict on a fleet (`envoy --mode validate`), as a diagnostic when it rejects it (an empty reason is still a rejection). */
export function envoyRejection(fleet: string, reason: string | undefined): Diagnostic[] {
  if (reason === undefined) return [];
  return [
    {
      code: 'envoy-rejected',
      severity: 'error',
      message: `Envoy rejects the configuration of fleet "${fleet}": ${reason || 'Envoy gave no reason'}`,
      hint: 'This is a Gatehouse bug unless the registry uses a feature this Envoy lacks; please report it.',
    },
  ];
}
