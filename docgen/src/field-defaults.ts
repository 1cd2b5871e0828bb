// Which field each registry default (resolve/defaults.ts) applies to, so the reference can show it.
// Tests check every DEFAULTS entry is listed here and every path names an optional field.
import { DEFAULTS } from '../../compiler/src/resolve/defaults.ts';
import type { Kind } from '../../compiler/src/schema/kinds.ts';

export type DefaultName = keyof typeof DEFAULTS;

/** Per kind, field path → the DEFAULTS entry resolve uses when the field is left out. */
export const FIELD_DEFAULTS: Readonly<Record<Kind, Readonly<Record<string, DefaultName>>>> = {
  McpServer: {
    'spec.upstream.timeout': 'upstreamTimeout',
    'spec.upstream.connectTimeout': 'upstreamConnectTimeout',
    'spec.upstream.caFile': 'caFile',
    'spec.credential.header': 'credentialHeader',
    'spec.tools[].costPerCall': 'costPerCall',
  },
  VirtualServer: {},
  Team: {
    'spec.clearance': 'teamClearance',
  },
  IdentityProvider: {
    'spec.jwks.cacheDuration': 'jwksCacheDuration',
    'spec.claims.groups': 'groupsClaim',
    'spec.claims.email': 'emailClaim',
  },
  Grant: {
    'spec.methods': 'grantMethods',
  },
  Gateway: {
    'spec.allowedHosts': 'allowedHosts',
    'spec.maxRequestBytes': 'maxRequestBytes',
    'spec.trustedProxyHops': 'trustedProxyHops',
    'spec.limits.callsPerSecond': 'limitCallsPerSecond',
    'spec.limits.burst': 'limitBurst',
    'spec.limits.sessions': 'limitSessions',
    'spec.limits.streams': 'limitStreams',
    'spec.authz.timeout': 'authzTimeout',
    'spec.tracing.samplingPercent': 'tracingSamplingPercent',
    'spec.audit.arguments': 'auditArguments',
    'spec.audit.rotate.maxBytes': 'auditRotateBytes',
    'spec.audit.rotate.maxAge': 'auditRotateAge',
    'spec.audit.checkpoint.records': 'auditCheckpointRecords',
    'spec.audit.checkpoint.interval': 'auditCheckpointInterval',
  },
  Guardrail: {
    'spec.detectors[].minConfidence': 'guardrailMinConfidence',
    'spec.maxBodyBytes': 'guardrailMaxBodyBytes',
    'spec.detectors[].service.timeout': 'guardrailServiceTimeout',
    'spec.detectors[].service.onFailure': 'guardrailServiceOnFailure',
    'spec.detectors[].service.language': 'guardrailServiceLanguage',
  },
  CheckSettings: {
    'spec.rego.coverageThreshold': 'regoCoverageThreshold',
    'spec.upstreams.allowedHosts': 'allowedUpstreamHosts',
    'spec.upstreams.allowedRegions': 'allowedUpstreamRegions',
    'spec.highRisk': 'highRiskLevels',
  },
};

/** The default of a field as YAML would spell it (`30s`, `0`, `["tools/call"]`), or undefined. */
export function defaultFor(kind: Kind, path: string): string | undefined {
  const name = FIELD_DEFAULTS[kind][path];
  if (name === undefined) return undefined;
  const value: unknown = DEFAULTS[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}
