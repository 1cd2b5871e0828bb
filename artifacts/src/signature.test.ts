import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jsonBytes } from './manifest.ts';
import { SIGNATURE_FILE } from './layout.ts';
import { generateSigningKeyPair, keyId, parsePrivateKey, parsePublicKey, signatureFile, signManifest, SigningKeyError, verifyManifest } from './signature.ts';

const manifest = jsonBytes({ format: 'gatehouse.dev/artifacts/v1', version: 'abc', files: { 'policy/bundle.tar.gz': { sha256: 'f'.repeat(64), bytes: 3 } } });

function pair() {
  const generated = generateSigningKeyPair();
  return { ...generated, privateKey: parsePrivateKey(generated.privatePem, 'key'), publicKey: parsePublicKey(generated.publicPem, 'key.pub') };
}

const sigText = (bytes: Uint8Array, key: ReturnType<typeof pair>) => signatureFile(bytes, key.privateKey).bytes.toString();

describe('manifest signatures', () => {
  it('a manifest signed by a trusted key verifies, and names its key', () => {
    const key = pair();
    const file = signatureFile(manifest, key.privateKey);
    expect(file.path).toBe(SIGNATURE_FILE);
    const parsed = JSON.parse(file.bytes.toString()) as Record<string, unknown>;
    expect(parsed).toMatchObject({ format: 'gatehouse.dev/signature/v1', algorithm: 'ed25519', keyId: key.keyId });
    expect(key.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(keyId(key.publicKey)).toBe(key.keyId);
    expect(verifyManifest(manifest, file.bytes.toString(), [key.publicKey])).toEqual({ ok: true, keyId: key.keyId });
  });

  it('refuses an unsigned set', () => {
    expect(verifyManifest(manifest, undefined, [pair().publicKey])).toMatchObject({ ok: false, reason: 'unsigned' });
  });

  it('refuses a manifest changed after signing, even by one byte', () => {
    const key = pair();
    const tampered = Buffer.from(manifest);
    tampered[tampered.indexOf('abc')] = 'x'.charCodeAt(0);
    expect(verifyManifest(tampered, sigText(manifest, key), [key.publicKey])).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a set signed by a key that is not trusted', () => {
    const trusted = pair();
    const other = pair();
    const result = verifyManifest(manifest, sigText(manifest, other), [trusted.publicKey]);
    expect(result).toMatchObject({ ok: false, reason: 'untrusted-key' });
    expect(!result.ok && result.message).toContain(other.keyId);
  });

  it('refuses a signature that claims a trusted key id but was made with another key', () => {
    const trusted = pair();
    const forged = { ...signManifest(manifest, pair().privateKey), keyId: trusted.keyId };
    expect(verifyManifest(manifest, JSON.stringify(forged), [trusted.publicKey])).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a malformed signature file', () => {
    const key = pair();
    const good = signManifest(manifest, key.privateKey);
    for (const text of ['', 'not json', '{}', JSON.stringify({ ...good, algorithm: 'rsa' }), JSON.stringify({ ...good, signature: 'AAAA' })]) {
      expect(verifyManifest(manifest, text, [key.publicKey])).toMatchObject({ ok: false, reason: 'malformed-signature' });
    }
  });

  it('rotates keys: with the old and the new key trusted, sets signed by either load', () => {
    const old = pair();
    const next = pair();
    const trusted = [old.publicKey, next.publicKey];
    expect(verifyManifest(manifest, sigText(manifest, old), trusted)).toEqual({ ok: true, keyId: old.keyId });
    expect(verifyManifest(manifest, sigText(manifest, next), trusted)).toEqual({ ok: true, keyId: next.keyId });
    // Once the old key is retired, its sets are refused.
    expect(verifyManifest(manifest, sigText(manifest, old), [next.publicKey])).toMatchObject({ ok: false, reason: 'untrusted-key' });
  });
});

describe('signing keys', () => {
  it('refuses a private key where a public key belongs, and a key of another type', () => {
    const key = pair();
    expect(() => parsePublicKey(key.privatePem, 'serve.pem')).toThrow(SigningKeyError);
    expect(() => parsePublicKey(key.privatePem, 'serve.pem')).toThrow(/private key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => parsePrivateKey(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'rsa.pem')).toThrow(/rsa key/);
    expect(() => parsePublicKey(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'rsa.pub.pem')).toThrow(/rsa key/);
    expect(() => parsePrivateKey('garbage', 'env GATEHOUSE_SIGNING_KEY')).toThrow('env GATEHOUSE_SIGNING_KEY is not a PEM private key');
  });

  it('never puts key material in an error message', () => {
    const key = pair();
    const message = (() => {
      try {
        parsePublicKey(key.privatePem, 'k');
        return 'accepted';
      } catch (error) {
        return String(error);
      }
    })();
    expect(message).toContain('k holds a private key');
    expect(message).not.toContain(key.privatePem.split('\n')[1]);
  });
});
