// `gatehouse envoy-bootstrap`: writes the bootstrap of an Envoy that takes everything over ADS.
import { writeFileSync } from 'node:fs';
import { parseFlags, portFlag } from './args.ts';
import { UsageError } from './usage-error.ts';
import { envoyBootstrap } from '../../xds-server/src/bootstrap.ts';

export const ENVOY_BOOTSTRAP_USAGE = 'Usage: gatehouse envoy-bootstrap --node-id ID --cluster FLEET --xds HOST:PORT [--admin-port PORT] [--out FILE]';

export function run(argv: readonly string[]): number {
  const { values } = parseFlags(argv, {
    'node-id': { type: 'string' },
    cluster: { type: 'string' },
    xds: { type: 'string' },
    'admin-port': { type: 'string' },
    out: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(`${ENVOY_BOOTSTRAP_USAGE}\n`);
    return 0;
  }
  const nodeId = values['node-id'];
  const fleet = values.cluster;
  if (!nodeId || !fleet || !values.xds) throw new UsageError('--node-id, --cluster and --xds are required');
  const [, xdsHost, xdsPort] = /^(.+):([0-9]{1,5})$/.exec(values.xds) ?? [];
  if (!xdsHost || !xdsPort) throw new UsageError(`--xds must be HOST:PORT (got "${values.xds}")`);
  const adminPort = portFlag('admin-port', values['admin-port'], 9901);
  const bootstrap = envoyBootstrap({ nodeId, fleet, xdsHost, xdsPort: Number(xdsPort), adminPort });
  const text = `${JSON.stringify(bootstrap, null, 2)}\n`;
  if (values.out) {
    writeFileSync(values.out, text);
    process.stderr.write(`gatehouse envoy-bootstrap: wrote ${values.out}; run: envoy -c ${values.out} --reject-unknown-dynamic-fields\n`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}
