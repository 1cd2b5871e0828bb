// A development certificate authority for the control plane and its Envoys (`gatehouse certs`,
// `npm start`, the tests): ECDSA P-256 keys, certificates built by @peculiar/x509 with the SANs of
// spiffe-id.ts. Production fleets bring certificates from their own CA; they only need the same SANs.
// The control plane never imports this file: it only verifies.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { controlPlaneSpiffeId, nodeSpiffeId } from './spiffe-id.ts';

x509.cryptoProvider.set(webcrypto as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A certificate and its private key, PEM (the key PKCS#8). */
export interface IssuedPem {
  readonly cert: string;
  readonly key: string;
}

export interface DevCa extends IssuedPem {
  readonly trustDomain: string;
  /** The control plane's certificate: its SPIFFE ID, plus the DNS names and IPs Envoy dials. */
  issueControlPlane(options?: { hosts?: readonly string[]; validDays?: number }): Promise<IssuedPem>;
  /** An Envoy node's client certificate: spiffe://<trust-domain>/gatehouse/fleet/<fleet>/node/<node>. */
  issueNode(fleet: string, node: string, options?: { validDays?: number }): Promise<IssuedPem>;
}

export async function createDevCa(trustDomain: string, options: { validDays?: number } = {}): Promise<DevCa> {
  controlPlaneSpiffeId(trustDomain); // checks the trust domain
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=Gatehouse development CA (${trustDomain})`,
    keys,
    signingAlgorithm: ALGORITHM,
    ...validity(options.validDays ?? 3650),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return devCa(trustDomain, cert, keys.privateKey, await pemKey(keys.privateKey));
}

/** The CA of an earlier `createDevCa` (its PEM files), to issue more certificates. */
export async function loadDevCa(trustDomain: string, ca: IssuedPem): Promise<DevCa> {
  const cert = new x509.X509Certificate(ca.cert);
  const der = x509.PemConverter.decodeFirst(ca.key);
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
  return devCa(trustDomain, cert, privateKey, ca.key);
}

function devCa(trustDomain: string, caCert: x509.X509Certificate, caKey: CryptoKey, caKeyPem: string): DevCa {
  const issue = async (subject: string, names: x509.JsonGeneralName[], usage: string, validDays: number): Promise<IssuedPem> => {
    const keys = await generateKeys();
    const cert = await x509.X509CertificateGenerator.create({
      subject,
      issuer: caCert.subject,
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: ALGORITHM,
      ...validity(validDays),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([usage]),
        new x509.SubjectAlternativeNameExtension(names, false),
        await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
      ],
    });
    return { cert: cert.toString('pem'), key: await pemKey(keys.privateKey) };
  };
  return {
    trustDomain,
    cert: caCert.toString('pem'),
    key: caKeyPem,
    issueControlPlane: (options = {}) => {
      const hosts = options.hosts ?? ['localhost', '127.0.0.1'];
      const names: x509.JsonGeneralName[] = [
        { type: 'url', value: controlPlaneSpiffeId(trustDomain) },
        ...hosts.map((host): x509.JsonGeneralName => ({ type: /^[0-9.]+$|:/.test(host) ? 'ip' : 'dns', value: host })),
      ];
      // serverAuth only: the control plane's certificate cannot pass for an Envoy's client certificate.
      return issue('CN=gatehouse-control-plane', names, x509.ExtendedKeyUsage.serverAuth, options.validDays ?? 365);
    },
    issueNode: (fleet, node, options = {}) =>
      issue(`CN=${node}`, [{ type: 'url', value: nodeSpiffeId(trustDomain, fleet, node) }], x509.ExtendedKeyUsage.clientAuth, options.validDays ?? 365),
  };
}

function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
}

async function pemKey(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  // A minute of slack for clocks that are slightly behind.
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + days * DAY_MS) };
}
