// Every default of the registry, in one place. The schema documents them; resolve applies them.

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
} as const;
