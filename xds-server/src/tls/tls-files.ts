// [impure] The control plane's own TLS material: a CA bundle that client certificates must chain
// to, and its certificate and key. Any CA works (the development one of `gatehouse certs`,
// cert-manager, SPIRE, a corporate CA) as long as the certificate names the control plane's SPIFFE ID.
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { uriSans } from './peer-identity.ts';
import { controlPlaneSpiffeId } from './spiffe-id.ts';

export interface TlsFiles {
  /** PEM bundle of the CA certificates Envoy client certificates must chain to. */
  readonly caFile: string;
  /** The control plane's certificate chain (PEM), leaf first. */
  readonly certFile: string;
  readonly keyFile: string;
}

export interface ServerTlsOptions extends TlsFiles {
  readonly trustDomain: string;
  /** How often the files are read again for rotation (ms); 1000 by default. */
  readonly reloadIntervalMs?: number;
}

/** The files read and checked: what the servers' TLS context is made of. */
export interface TlsMaterial {
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
  /** sha256 over the three files: what tells a rotation from a re-read. */
  readonly digest: string;
  readonly serial: string;
  readonly notAfter: string;
}

export class TlsFileError extends Error {}

/** The three files as read, and their digest: enough to tell whether anything changed. */
export type TlsBytes = Pick<TlsMaterial, 'ca' | 'cert' | 'key' | 'digest'>;

/** Reads the three files and checks they make a usable server identity; throws TlsFileError saying why not. */
export function readTlsMaterial(files: TlsFiles, trustDomain: string): TlsMaterial {
  return checkTlsMaterial(readTlsBytes(files), files, trustDomain);
}

/** Reads the three files (cheap: no parsing), for a rotation check to compare digests first. */
export function readTlsBytes(files: TlsFiles): TlsBytes {
  const read = (what: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new TlsFileError(`cannot read the ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  };
  const ca = read('CA bundle', files.caFile);
  const cert = read('certificate', files.certFile);
  const key = read('private key', files.keyFile);
  const digest = createHash('sha256').update(ca).update('\0').update(cert).update('\0').update(key).digest('hex');
  return { ca, cert, key, digest };
}

/** Checks the files make a usable server identity (parses the certificate and key, builds a TLS context). */
export function checkTlsMaterial(bytes: TlsBytes, files: TlsFiles, trustDomain: string): TlsMaterial {
  const { ca, cert, key, digest } = bytes;
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new TlsFileError(`${files.caFile} holds no PEM certificate`);
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch (error) {
    throw new TlsFileError(`${files.certFile} is not a PEM certificate: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    if (!leaf.checkPrivateKey(createPrivateKey(key))) throw new TlsFileError(`${files.keyFile} is not the key of ${files.certFile}`);
  } catch (error) {
    if (error instanceof TlsFileError) throw error;
    throw new TlsFileError(`${files.keyFile} is not a PEM private key: ${error instanceof Error ? error.message : String(error)}`);
  }
  const expected = controlPlaneSpiffeId(trustDomain);
  if (!uriSans(leaf.subjectAltName ?? '').includes(expected)) {
    throw new TlsFileError(`${files.certFile} does not name the control plane: Envoy checks for the URI SAN ${expected}`);
  }
  try {
    createSecureContext({ ca, cert, key });
  } catch (error) {
    throw new TlsFileError(`the TLS files do not make a TLS context: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { ca, cert, key, digest, serial: leaf.serialNumber, notAfter: new Date(leaf.validTo).toISOString() };
}
