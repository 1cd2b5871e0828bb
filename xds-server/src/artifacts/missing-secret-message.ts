// What the log says about a secret the control plane could not resolve, by what the secret is: an
// upstream credential closes one server; a gateway's TLS certificate or client CA keeps the
// gateway's listener from starting (Envoy waits for an SDS secret that never comes).
import type { MissingCredential } from './missing-credentials.ts';

export function missingSecretMessage(m: Pick<MissingCredential, 'secretRef' | 'cluster' | 'kind'>): string {
  switch (m.kind) {
    case 'tls-certificate':
      return `gateway TLS certificate "${m.secretRef}" not found: the gateway's TLS listener (SDS secret ${m.cluster}) does not start until it is provided`;
    case 'trusted-ca':
      return `gateway client CA "${m.secretRef}" not found: the gateway's TLS listener (SDS secret ${m.cluster}) does not start until it is provided`;
    case undefined:
      return `upstream credential "${m.secretRef}" not found: calls to cluster ${m.cluster} are refused (fails closed)`;
  }
}
