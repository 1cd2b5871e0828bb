// [impure] The development identity provider's signing key, kept in `<stateDir>/identity-provider/`
// (mode 0600) so tokens and Envoy's cached JWKS stay valid across restarts of `gatehouse up`, and so
// `gatehouse token` can mint without the provider running. Never logged.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export interface DevSigningKey {
  readonly kid: string;
  /** The private key as a JWK (oidc-provider's `jwks`). */
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
  readonly privateKey: CryptoKey;
  /** Signs the provider's cookies. */
  readonly cookieSecret: string;
}

interface KeyFile {
  readonly jwk: JWK;
  readonly cookieSecret: string;
}

export function signingKeyFile(stateDir: string): string {
  return join(stateDir, 'identity-provider', 'signing-key.json');
}

/** The clients that registered dynamically (identity/memory-adapter.ts), beside the key. */
export function clientsFile(stateDir: string): string {
  return join(stateDir, 'identity-provider', 'clients.json');
}

/** Reads the key, making it first if there is none (an exclusive create, so two processes agree on one key). */
export async function openDevSigningKey(stateDir: string): Promise<DevSigningKey> {
  const file = signingKeyFile(stateDir);
  let stored = readKeyFile(file);
  if (!stored) {
    mkdirSync(join(stateDir, 'identity-provider'), { recursive: true, mode: 0o700 });
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const candidate: KeyFile = { jwk: await exportJWK(privateKey), cookieSecret: randomBytes(32).toString('base64url') };
    try {
      writeFileSync(file, `${JSON.stringify(candidate)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    stored = readKeyFile(file);
    if (!stored) throw new Error(`cannot read the identity provider's signing key ${file}`);
  }
  const publicPart: JWK = { kty: stored.jwk.kty, n: stored.jwk.n, e: stored.jwk.e };
  const kid = await calculateJwkThumbprint(publicPart);
  const privateJwk: JWK = { ...stored.jwk, kid, alg: 'RS256', use: 'sig' };
  const privateKey = await importJWK(privateJwk, 'RS256');
  if (!('type' in privateKey)) throw new Error(`the identity provider's signing key ${file} is not an RSA key`);
  return { kid, privateJwk, publicJwk: { ...publicPart, kid, alg: 'RS256', use: 'sig' }, privateKey, cookieSecret: stored.cookieSecret };
}

function readKeyFile(file: string): KeyFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<KeyFile>;
  if (parsed.jwk?.kty !== 'RSA' || typeof parsed.jwk.d !== 'string' || typeof parsed.cookieSecret !== 'string') {
    throw new Error(`${file} is not a Gatehouse identity-provider key; delete it and a new one is made`);
  }
  return { jwk: parsed.jwk, cookieSecret: parsed.cookieSecret };
}
