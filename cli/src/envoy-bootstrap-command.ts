// `gatehouse envoy-bootstrap`: writes the bootstrap of an Envoy that takes everything over ADS, and
// under mutual TLS the two SDS files that point Envoy at its certificate and the control plane's CA.
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { oneOf, parseFlags, portFlag } from './args.ts';
import { UsageError } from './usage-error.ts';
import { hostPortFlag } from './host-port-flag.ts';
import { envoyBootstrap } from '../../xds-server/src/bootstrap.ts';
import type { EnvoyAdminAddress } from '../../xds-server/src/envoy-admin-address.ts';
import { envoySdsFiles } from '../../xds-server/src/tls/envoy-tls.ts';
import { isIdentitySegment } from '../../xds-server/src/tls/spiffe-id.ts';
import { TLS_FLAGS, TLS_USAGE, tlsFlags } from './tls-flags.ts';
import { DEFAULT_XDS_PROTOCOL, XDS_PROTOCOLS } from '../../xds-server/src/xds-protocol.ts';

export const ENVOY_BOOTSTRAP_USAGE =
  'Usage: gatehouse envoy-bootstrap --node-id ID --cluster FLEET --xds HOST:PORT [--xds HOST:PORT]… [--admin-socket PATH | --admin-port PORT] ' +
  `[--out FILE] [--sds-dir DIR] [--xds-protocol delta|sotw] ${TLS_USAGE}`;

export function run(argv: readonly string[]): number {
  const { values } = parseFlags(argv, {
    'node-id': { type: 'string' },
    cluster: { type: 'string' },
    xds: { type: 'string', multiple: true },
    'admin-port': { type: 'string' },
    'admin-socket': { type: 'string' },
    out: { type: 'string' },
    'sds-dir': { type: 'string' },
    'xds-protocol': { type: 'string' },
    ...TLS_FLAGS,
  });
  if (values.help) {
    process.stdout.write(`${ENVOY_BOOTSTRAP_USAGE}\n`);
    return 0;
  }
  const nodeId = values['node-id'];
  const fleet = values.cluster;
  if (!nodeId || !fleet || !values.xds?.length) throw new UsageError('--node-id, --cluster and --xds are required');
  // HA: `--xds` once per control-plane replica.
  const [first, ...more] = values.xds.map((address) => hostPortFlag('xds', address));
  if (!first) throw new UsageError('--xds is required');
  const xdsProtocol = oneOf('xds-protocol', values['xds-protocol'], XDS_PROTOCOLS, DEFAULT_XDS_PROTOCOL);
  const admin = adminAddress(values['admin-socket'], values['admin-port'], values.out);
  const files = tlsFlags(values);
  let tls;
  if (files) {
    // The control plane compares these with the node's certificate: say so now rather than at connect time.
    if (!isIdentitySegment(nodeId) || !isIdentitySegment(fleet)) {
      throw new UsageError('under mutual TLS, --node-id and --cluster must be letters, digits, ".", "_" or "-"');
    }
    const sdsDir = values['sds-dir'] ?? (values.out ? dirname(values.out) : undefined);
    if (!sdsDir) throw new UsageError('--sds-dir is required when the bootstrap goes to stdout');
    const { trustDomain, caFile, certFile, keyFile } = files;
    tls = { trustDomain, caFile: resolve(caFile), certFile: resolve(certFile), keyFile: resolve(keyFile), sdsDir: resolve(sdsDir) };
  }
  const bootstrap = envoyBootstrap({ nodeId, fleet, xdsHost: first.host, xdsPort: first.port, moreXds: more, admin, xdsProtocol, ...(tls ? { tls } : {}) });
  if (tls) {
    for (const [path, text] of Object.entries(envoySdsFiles(tls))) {
      writeFileSync(path, text);
      process.stderr.write(`gatehouse envoy-bootstrap: wrote ${path}\n`);
    }
  }
  const text = `${JSON.stringify(bootstrap, null, 2)}\n`;
  if (values.out) {
    writeFileSync(values.out, text);
    process.stderr.write(`gatehouse envoy-bootstrap: wrote ${values.out}; run: envoy -c ${values.out} --reject-unknown-dynamic-fields\n`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}

/**
 * Envoy's admin interface: a unix socket only the user running Envoy can open (by default
 * `envoy-admin.sock` beside the bootstrap), or a loopback port when asked for, which any local user
 * can reach: say so.
 */
function adminAddress(socket: string | undefined, port: string | undefined, out: string | undefined): EnvoyAdminAddress {
  if (socket !== undefined && port !== undefined) throw new UsageError('give --admin-socket or --admin-port, not both');
  if (port !== undefined) {
    process.stderr.write('gatehouse envoy-bootstrap: warning: --admin-port exposes Envoy\'s admin interface to every local user; ' +
      '--admin-socket (the default) does not\n');
    return { port: portFlag('admin-port', port, 9901) };
  }
  const path = resolve(socket ?? resolve(out ? dirname(out) : '.', 'envoy-admin.sock'));
  // sun_path holds 108 bytes on Linux, including the terminating NUL.
  if (Buffer.byteLength(path) > 107) throw new UsageError(`the admin socket path is too long for a unix socket (${path}); choose a shorter --admin-socket`);
  return { socket: path };
}
