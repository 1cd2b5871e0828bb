// `gatehouse certs`: a development CA and the certificates of mutual TLS between Envoy and the
// control plane, with the SANs Gatehouse checks (xds-server/src/tls/spiffe-id.ts). Production
// fleets bring their own CA (cert-manager, SPIRE, a corporate CA) and the same SANs.
import { resolve } from 'node:path';
import { parseFlags } from './args.ts';
import { UsageError } from './usage-error.ts';
import { DevPkiError, openDevPki } from '../../demo/src/dev-pki.ts';
import { isIdentitySegment, isTrustDomain, nodeSpiffeId } from '../../xds-server/src/tls/spiffe-id.ts';

export const CERTS_USAGE = [
  'Usage: gatehouse certs init [--dir .gatehouse/tls] [--trust-domain gatehouse.local] [--host HOST]...',
  '       gatehouse certs node --fleet FLEET --node ID [--dir .gatehouse/tls]',
  '`init` creates the CA if the folder has none, then (re)issues the control plane\'s certificate; `node` (re)issues an Envoy node\'s.',
].join('\n');

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      dir: { type: 'string' },
      'trust-domain': { type: 'string' },
      host: { type: 'string', multiple: true },
      fleet: { type: 'string' },
      node: { type: 'string' },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(`${CERTS_USAGE}\n`);
    return 0;
  }
  const [action, ...extra] = positionals;
  if (extra.length > 0 || (action !== 'init' && action !== 'node')) throw new UsageError('say `gatehouse certs init` or `gatehouse certs node`');
  const dir = resolve(values.dir ?? '.gatehouse/tls');
  const trustDomain = values['trust-domain'];
  if (trustDomain !== undefined && !isTrustDomain(trustDomain)) throw new UsageError(`--trust-domain "${trustDomain}" is not a trust domain`);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const pki = await openDevPki(dir, trustDomain);
    const domain = pki.ca.trustDomain;
    if (action === 'init') {
      const tls = await pki.issueControlPlane(values.host ?? ['localhost', '127.0.0.1']);
      say(`CA (trust domain ${domain}): ${pki.caFile}`);
      say(`control plane: ${tls.certFile} (spiffe://${domain}/gatehouse/control-plane)`);
      say(`run: gatehouse serve --tls-ca ${pki.caFile} --tls-cert ${tls.certFile} --tls-key ${tls.keyFile} --trust-domain ${domain} …`);
      return 0;
    }
    const { fleet, node } = values;
    if (!fleet || !node) throw new UsageError('`certs node` needs --fleet and --node');
    if (!isIdentitySegment(fleet) || !isIdentitySegment(node)) throw new UsageError('--fleet and --node must be letters, digits, ".", "_" or "-"');
    const files = await pki.issueNode(fleet, node);
    say(`node ${node} of fleet ${fleet}: ${files.certFile} (${nodeSpiffeId(domain, fleet, node)})`);
    say(
      `run: gatehouse envoy-bootstrap --node-id ${node} --cluster ${fleet} --xds HOST:PORT --tls-ca ${pki.caFile} --tls-cert ${files.certFile} ` +
        `--tls-key ${files.keyFile} --trust-domain ${domain} --out envoy.json`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof DevPkiError)) throw error;
    process.stderr.write(`gatehouse certs: ${error.message}\n`);
    return 1;
  }
}
