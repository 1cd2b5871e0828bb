// [impure] A development PKI on disk for the control plane and its Envoys: the CA of
// xds-server/src/tls/dev-ca.ts kept in a folder (reused across restarts, as `gatehouse certs` and
// `npm start` both do), the control plane's certificate and one per Envoy node. Files are written
// aside and renamed into place, key before certificate, so a reader never sees half a file.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDevCa, loadDevCa, type DevCa, type IssuedPem } from '../../xds-server/src/tls/dev-ca.ts';
import type { ServerTlsOptions } from '../../xds-server/src/tls/tls-files.ts';
import { DEFAULT_TRUST_DOMAIN } from '../../xds-server/src/tls/spiffe-id.ts';

/** The folder's CA cannot be used as asked (e.g. it is for another trust domain). */
export class DevPkiError extends Error {}

export interface DevPki {
  readonly dir: string;
  readonly ca: DevCa;
  readonly caFile: string;
  /** Issues (or re-issues: rotation) the control plane's certificate; returns the server's TLS options. */
  issueControlPlane(hosts?: readonly string[]): Promise<ServerTlsOptions>;
  /** Issues (or re-issues) a node's certificate into `nodes/<fleet>/<node>/`. */
  issueNode(fleet: string, node: string): Promise<{ readonly certFile: string; readonly keyFile: string }>;
}

/** Opens the CA in `dir`, creating it first (for `trustDomain`, by default gatehouse.local) if there is none. */
export async function openDevPki(dir: string, trustDomain?: string): Promise<DevPki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caFile = join(dir, 'ca.pem');
  const caKeyFile = join(dir, 'ca-key.pem');
  const domainFile = join(dir, 'trust-domain');
  let ca: DevCa;
  if (existsSync(caFile) && existsSync(caKeyFile)) {
    const stored = existsSync(domainFile) ? readFileSync(domainFile, 'utf8').trim() : DEFAULT_TRUST_DOMAIN;
    if (trustDomain !== undefined && trustDomain !== stored) throw new DevPkiError(`the CA in ${dir} is for trust domain ${stored}, not ${trustDomain}`);
    ca = await loadDevCa(stored, { cert: readFileSync(caFile, 'utf8'), key: readFileSync(caKeyFile, 'utf8') });
  } else {
    ca = await createDevCa(trustDomain ?? DEFAULT_TRUST_DOMAIN);
    writePair({ cert: caFile, key: caKeyFile }, ca);
    writeFileSync(domainFile, `${ca.trustDomain}\n`);
  }
  const { trustDomain: domain } = ca;
  return {
    dir,
    ca,
    caFile,
    issueControlPlane: async (hosts) => {
      const files = { cert: join(dir, 'control-plane.pem'), key: join(dir, 'control-plane-key.pem') };
      writePair(files, await ca.issueControlPlane(hosts ? { hosts } : {}));
      return { trustDomain: domain, caFile, certFile: files.cert, keyFile: files.key };
    },
    issueNode: async (fleet, node) => {
      const nodeDir = join(dir, 'nodes', fleet, node);
      mkdirSync(nodeDir, { recursive: true, mode: 0o700 });
      const files = { cert: join(nodeDir, 'cert.pem'), key: join(nodeDir, 'key.pem') };
      writePair(files, await ca.issueNode(fleet, node));
      return { certFile: files.cert, keyFile: files.key };
    },
  };
}

function writePair(files: { cert: string; key: string }, pem: IssuedPem): void {
  const write = (path: string, text: string) => {
    writeFileSync(`${path}.tmp`, text, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  };
  write(files.key, pem.key);
  write(files.cert, pem.cert);
}
