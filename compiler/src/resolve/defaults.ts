// Every default of the registry, in one place. The schema documents them; resolve applies them.
import type { GateCode, GateLevel } from '../schema/check-settings.ts';
import type { RiskLevel } from '../schema/common.ts';

export const DEFAULTS = {
  upstreamTimeout: '30s',
  upstreamConnectTimeout: '5s',
  /** The system CA bundle on Debian, Ubuntu and Alpine hosts (and in Envoy's official images). */
  caFile: '/etc/ssl/certs/ca-certificates.crt',
  credentialHeader: 'Authorization',
  costPerCall: 0,
  grantMethods: ['tools/call'],
  teamClearance: 'internal',
  hostnames: ['*'],
  maxRequestBytes: 65536,
  authzTimeout: '250ms',
  groupsClaim: 'groups',
  emailClaim: 'email',
  jwksCacheDuration: '600s',
  tracingSamplingPercent: 100,
  /** Gateway audit log: arguments mode, rotation and checkpoints (docs/observability.md). */
  auditArguments: 'digest' as 'digest' | 'redacted',
  auditRotateBytes: 67108864,
  auditRotateAge: '24h',
  auditCheckpointRecords: 1000,
  auditCheckpointInterval: '60s',
  regoCoverageThreshold: 90,
  allowedUpstreamHosts: [] as readonly string[],
  allowedUpstreamRegions: [] as readonly string[],
  highRiskLevels: ['high', 'critical'] as readonly RiskLevel[],
} as const;

/** CheckSettings: the level of each gate of `gatehouse check` (documented per gate in the schema). */
export const GATE_DEFAULTS: Readonly<Record<GateCode, GateLevel>> = {
  'default-allow': 'error',
  'high-risk-broad-grant': 'error',
  'team-without-idp-mapping': 'error',
  'classification-not-cleared': 'error',
  'upstream-not-allowed': 'error',
  'missing-owner-or-cost-center': 'warning',
  'rego-tests-failing': 'error',
  'rego-coverage': 'error',
  'rego-format': 'error',
  'rego-lint': 'error',
  'deny-rule-removed': 'error',
  'new-high-risk-grant': 'warning',
};
