// The Envoy bootstrap ConfigMap of deploy/kubernetes, as `gatehouse envoy-bootstrap` writes it for a
// pod: node id and fleet from the fleet's certificate, the control plane through its headless
// Service (every replica), the certificate files where the Deployment mounts them.
import { stringify } from 'yaml';
import { envoyBootstrap } from '../../xds-server/src/bootstrap.ts';
import { envoySdsFiles, type EnvoyTlsOptions } from '../../xds-server/src/tls/envoy-tls.ts';

export const ENVOY_BOOTSTRAP_FLAGS = [
  '--node-id', 'gateway-default', '--cluster', 'default',
  '--xds', 'gatehouse-control-plane.gatehouse.svc.cluster.local:18000',
  '--admin-socket', '/var/run/envoy/admin.sock', '--sds-dir', '/etc/envoy',
  '--tls-ca', '/etc/gatehouse/tls/ca.crt', '--tls-cert', '/etc/gatehouse/tls/tls.crt', '--tls-key', '/etc/gatehouse/tls/tls.key',
  '--trust-domain', 'gatehouse.local',
] as const;

export function envoyBootstrapConfigMap(): string {
  const tls: EnvoyTlsOptions = {
    trustDomain: 'gatehouse.local', caFile: '/etc/gatehouse/tls/ca.crt', certFile: '/etc/gatehouse/tls/tls.crt', keyFile: '/etc/gatehouse/tls/tls.key',
    sdsDir: '/etc/envoy',
  };
  const bootstrap = envoyBootstrap({
    nodeId: 'gateway-default',
    fleet: 'default',
    xdsHost: 'gatehouse-control-plane.gatehouse.svc.cluster.local',
    xdsPort: 18000,
    admin: { socket: '/var/run/envoy/admin.sock' },
    tls,
  });
  const data: Record<string, string> = { 'bootstrap.json': `${JSON.stringify(bootstrap, null, 2)}\n` };
  for (const [path, text] of Object.entries(envoySdsFiles(tls))) data[path.replace('/etc/envoy/', '')] = text;
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gatehouse-envoy-default-bootstrap', namespace: 'gatehouse' }, data };
  return [
    '# Generated: `gatehouse envoy-bootstrap ' + ENVOY_BOOTSTRAP_FLAGS.join(' ') + '`',
    '# (the test compares it with the generator; refresh with UPDATE_GOLDEN=1 npx vitest run test/deploy). Mounted at /etc/envoy.',
    stringify(configMap, { lineWidth: 0 }),
  ].join('\n');
}
