// The 12 points of the pre-deployment checklist, in the order they are reported.
import { auditRetention, dataSovereignty, piiGuardrails } from './points/data.ts';
import { costAttribution, ssoRbacMapping } from './points/identity-and-cost.ts';
import { artifactsSigned, mtls, securityIsolation, traceCorrelation } from './points/runtime.ts';
import { breakGlass, regoCoverage, toolsPinned } from './points/supply.ts';
import type { PreflightFacts } from './facts.ts';
import type { PointResult, PreflightPoint } from './point.ts';

export const PREFLIGHT_POINTS: readonly PreflightPoint[] = [
  ssoRbacMapping,
  auditRetention,
  dataSovereignty,
  costAttribution,
  traceCorrelation,
  securityIsolation,
  mtls,
  artifactsSigned,
  piiGuardrails,
  toolsPinned,
  regoCoverage,
  breakGlass,
];

export function judgePoints(facts: PreflightFacts): PointResult[] {
  return PREFLIGHT_POINTS.map((point) => ({ id: point.id, title: point.title, ...point.check(facts) }));
}
