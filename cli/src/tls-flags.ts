// The TLS flags `serve` and `envoy-bootstrap` share: mutual TLS with files from any CA, or
// plaintext only when asked for by name.
import { UsageError } from './usage-error.ts';
import { DEFAULT_TRUST_DOMAIN, isTrustDomain } from '../../xds-server/src/tls/spiffe-id.ts';

export const TLS_FLAGS = {
  'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'trust-domain': { type: 'string' },
  'insecure-plaintext': { type: 'boolean' },
} as const;

export const TLS_USAGE = '(--tls-ca FILE --tls-cert FILE --tls-key FILE [--trust-domain gatehouse.local] | --insecure-plaintext)';

export interface TlsFlagValues {
  readonly 'tls-ca'?: string | undefined;
  readonly 'tls-cert'?: string | undefined;
  readonly 'tls-key'?: string | undefined;
  readonly 'trust-domain'?: string | undefined;
  readonly 'insecure-plaintext'?: boolean | undefined;
}

/** The TLS files and trust domain, or undefined for an explicit --insecure-plaintext. */
export function tlsFlags(values: TlsFlagValues): { caFile: string; certFile: string; keyFile: string; trustDomain: string } | undefined {
  const files = [values['tls-ca'], values['tls-cert'], values['tls-key']];
  if (values['insecure-plaintext'] === true) {
    if (files.some((f) => f !== undefined)) throw new UsageError('--insecure-plaintext cannot be combined with --tls-ca, --tls-cert or --tls-key');
    return undefined;
  }
  const [caFile, certFile, keyFile] = files;
  if (caFile === undefined || certFile === undefined || keyFile === undefined) {
    throw new UsageError(
      'mutual TLS needs --tls-ca, --tls-cert and --tls-key (`gatehouse certs init` makes a development set), ' +
        'or pass --insecure-plaintext to run without TLS',
    );
  }
  const trustDomain = values['trust-domain'] ?? DEFAULT_TRUST_DOMAIN;
  if (!isTrustDomain(trustDomain)) throw new UsageError(`--trust-domain "${trustDomain}" is not a trust domain (lowercase letters, digits, ".", "_", "-")`);
  return { caFile, certFile, keyFile, trustDomain };
}
