// Resolves the registry's CheckSettings document (at most one) into IrCheckSettings, with every
// default from defaults.ts applied. A second document is an error at its name.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { IrCheckSettings } from '../ir/types.ts';
import { GATE_CODES, GATE_DEFAULTS, type GateCode, type GateLevel } from '../schema/check-settings.ts';
import { RISK_LEVELS } from '../schema/common.ts';
import type { RegistryDocument } from '../validate/registry-document.ts';
import { DEFAULTS } from './defaults.ts';

export function resolveCheckSettings(docs: readonly RegistryDocument<'CheckSettings'>[]): { value: IrCheckSettings; diagnostics: Diagnostic[] } {
  const [first, ...extra] = docs;
  const diagnostics: Diagnostic[] = first
    ? extra.map((doc) => ({
        code: 'duplicate-check-settings',
        severity: 'error',
        message:
          `CheckSettings "${doc.name}" is a second CheckSettings document ` +
          `(the first is "${first.name}" at ${first.location.file}:${first.location.line})`,
        location: doc.location,
        hint: 'A registry holds at most one CheckSettings document: merge them.',
      }))
    : [];
  const spec = first?.spec;
  const levels = (spec?.gates ?? {}) as Partial<Record<GateCode, GateLevel>>;
  const value: IrCheckSettings = {
    gates: Object.fromEntries(GATE_CODES.map((code) => [code, levels[code] ?? GATE_DEFAULTS[code]])) as Record<GateCode, GateLevel>,
    regoCoverageThreshold: spec?.rego?.coverageThreshold ?? DEFAULTS.regoCoverageThreshold,
    allowedHosts: [...(spec?.upstreams?.allowedHosts ?? DEFAULTS.allowedUpstreamHosts)].sort(),
    allowedRegions: [...(spec?.upstreams?.allowedRegions ?? DEFAULTS.allowedUpstreamRegions)].sort(),
    highRisk: RISK_LEVELS.filter((risk) => (spec?.highRisk ?? DEFAULTS.highRiskLevels).includes(risk)),
    sharedSecretRefs: (spec?.sharedSecretRefs ?? []).map((entry) => ({ secretRef: entry.secretRef, servers: [...entry.servers].sort() })),
    ...(spec?.governance ? { governance: spec.governance } : {}),
    ...(first ? { source: first.location } : {}),
  };
  return { value, diagnostics };
}
