// The signature of an artifact set: Ed25519 over the exact bytes of manifest.json. The manifest pins
// every other file by sha256 (the policy bundle included), so one signature covers the whole set;
// the control plane checks it before it reads anything else. Keys are PEM: PKCS #8 private keys for
// `compile`, SubjectPublicKeyInfo public keys for `serve`. A key is named by its key id, the sha256
// of its public key's DER SubjectPublicKeyInfo, so a signature says which trusted key it needs.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { jsonBytes, sha256, type ArtifactFile } from './manifest.ts';
import { SIGNATURE_FILE } from './layout.ts';

export const SIGNATURE_FORMAT = 'gatehouse.dev/signature/v1';

/** The content of manifest.sig. */
export interface ManifestSignature {
  readonly format: typeof SIGNATURE_FORMAT;
  readonly algorithm: 'ed25519';
  /** sha256 (hex) of the signer's public key, DER SubjectPublicKeyInfo. */
  readonly keyId: string;
  /** The Ed25519 signature of manifest.json's bytes, base64. */
  readonly signature: string;
}

/** Why a set's signature is not accepted; also the `reason` label of the rejection metric. */
export type SignatureFailure = 'unsigned' | 'malformed-signature' | 'untrusted-key' | 'bad-signature';

export type Verification = { readonly ok: true; readonly keyId: string } | { readonly ok: false; readonly reason: SignatureFailure; readonly message: string };

export class SigningKeyError extends Error {}

/** The key id of a public key, or of a private key's public half. */
export function keyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return sha256(publicKey.export({ type: 'spki', format: 'der' }));
}

/** An Ed25519 private key from PEM text; `source` names it in errors (never the key itself). */
export function parsePrivateKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new SigningKeyError(`${source} is not a PEM private key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`${source} is a ${key.asymmetricKeyType ?? 'unknown'} key; Gatehouse signs with Ed25519 (gatehouse keys generate)`);
  }
  return key;
}

/** An Ed25519 public key from PEM text. A private key is refused: only public keys belong on the control plane. */
export function parsePublicKey(pem: string, source: string): KeyObject {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new SigningKeyError(`${source} holds a private key; give the control plane the public key (.pub.pem)`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new SigningKeyError(`${source} is not a PEM public key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`${source} is a ${key.asymmetricKeyType ?? 'unknown'} key; Gatehouse verifies Ed25519 signatures`);
  }
  return key;
}

export interface GeneratedKeyPair {
  readonly privatePem: string;
  readonly publicPem: string;
  readonly keyId: string;
}

export function generateSigningKeyPair(): GeneratedKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyId(publicKey),
  };
}

export function signManifest(manifestBytes: Uint8Array, privateKey: KeyObject): ManifestSignature {
  return { format: SIGNATURE_FORMAT, algorithm: 'ed25519', keyId: keyId(privateKey), signature: sign(null, manifestBytes, privateKey).toString('base64') };
}

/** manifest.sig for a manifest, as the compiler writes it next to manifest.json. */
export function signatureFile(manifestBytes: Uint8Array, privateKey: KeyObject): ArtifactFile {
  return { path: SIGNATURE_FILE, bytes: jsonBytes(signManifest(manifestBytes, privateKey)) };
}

/** Checks manifest.sig (its text, or undefined when the file is absent) against the trusted public keys. */
export function verifyManifest(manifestBytes: Uint8Array, signatureText: string | undefined, trusted: readonly KeyObject[]): Verification {
  if (signatureText === undefined) return { ok: false, reason: 'unsigned', message: `the artifacts are not signed (no ${SIGNATURE_FILE})` };
  const parsed = parseSignature(signatureText);
  if (!parsed) return { ok: false, reason: 'malformed-signature', message: `${SIGNATURE_FILE} is not a ${SIGNATURE_FORMAT} Ed25519 signature` };
  const key = trusted.find((k) => keyId(k) === parsed.keyId);
  if (!key) return { ok: false, reason: 'untrusted-key', message: `the artifacts are signed by key ${parsed.keyId}, which is not a trusted key` };
  const good = verify(null, manifestBytes, key, Buffer.from(parsed.signature, 'base64'));
  if (!good) return { ok: false, reason: 'bad-signature', message: `${SIGNATURE_FILE} does not match manifest.json (the manifest was modified after signing)` };
  return { ok: true, keyId: parsed.keyId };
}

function parseSignature(text: string): ManifestSignature | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { format, algorithm, keyId: id, signature } = value as Record<string, unknown>;
  if (format !== SIGNATURE_FORMAT || algorithm !== 'ed25519' || typeof id !== 'string' || typeof signature !== 'string') return undefined;
  if (!/^[0-9a-f]{64}$/.test(id) || !/^[A-Za-z0-9+/]{86}==$/.test(signature)) return undefined;
  return { format, algorithm, keyId: id, signature };
}
