// Every default of the registry, in one place. The schema documents them; resolve applies them.
import type { RiskLevel } from '../schema/common.ts';
import type { GrantMethod } from '../schema/grant.ts';

export const DEFAULTS = {
  upstreamTimeout: '30s',
  upstreamConnectTimeout: '5s',
  /** The system CA bundle on Debian, Ubuntu and Alpine hosts (and in Envoy's official images). */
  caFile: '/etc/ssl/certs/ca-certificates.crt',
  credentialHeader: 'Authorization',
  costPerCall: 0,
  grantMethods: ['tools/call'] as readonly GrantMethod[],
  teamClearance: 'internal',
  /** Hosts a gateway accepts besides its public URL's. */
  allowedHosts: [] as readonly string[],
  maxRequestBytes: 65536,
  authzTimeout: '250ms',
  trustedProxyHops: 0,
  /** Per-subject limits of a virtual server (schema/subject-limits.ts; subjectLimitDefaults). */
  limitCallsPerSecond: 20,
  limitBurst: 40,
  limitSessions: 64,
  limitStreams: 16,
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
  /** Guardrails: the least confidence a finding needs, the largest body inspected, an external detector's timeout, failure mode and language. */
  guardrailMinConfidence: 0.5,
  guardrailMaxBodyBytes: 1048576,
  guardrailServiceTimeout: '500ms',
  guardrailServiceOnFailure: 'block' as 'block' | 'allow',
  guardrailServiceLanguage: 'en',
} as const;

/** The per-subject limits a gateway gives its virtual servers when it sets none. */
export const subjectLimitDefaults = {
  callsPerSecond: DEFAULTS.limitCallsPerSecond,
  burst: DEFAULTS.limitBurst,
  sessions: DEFAULTS.limitSessions,
  streams: DEFAULTS.limitStreams,
} as const;
