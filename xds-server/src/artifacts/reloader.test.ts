// Signed artifact sets through the reloader: with trusted keys, only a set whose manifest a trusted
// key signed is loaded; anything else is refused with a reason, and the last good set stays.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileExample } from '../../../testkit/compiled-example.ts';
import { BUNDLE_FILE, MANIFEST_FILE, SIGNATURE_FILE } from '../../../artifacts/src/layout.ts';
import { buildManifest, jsonBytes, type Manifest } from '../../../artifacts/src/manifest.ts';
import { generateSigningKeyPair, parsePrivateKey, parsePublicKey, signatureFile } from '../../../artifacts/src/signature.ts';
import { memoryLogger } from '../log.ts';
import type { RejectionReason } from './artifact-error.ts';
import { ArtifactReloader } from './reloader.ts';
import { folderSource } from './artifact-source.ts';

const SECRETS = { GATEHOUSE_SECRET_TICKETS_API_TOKEN: 'Bearer t0k3n', GATEHOUSE_SECRET_PAYMENTS_API_KEY: 'k3y' };

function keyPair() {
  const pair = generateSigningKeyPair();
  return { keyId: pair.keyId, privateKey: parsePrivateKey(pair.privatePem, 'key'), publicKey: parsePublicKey(pair.publicPem, 'key.pub') };
}
const keyA = keyPair();
const keyB = keyPair();

let work: string;
let compiled: Manifest;
let files: Map<string, Buffer>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gatehouse-signed-'));
  const result = await compileExample('signed-rev', join(work, 'compiled'), keyA.privateKey);
  compiled = result.manifest!;
  files = new Map(Object.keys(compiled.files).map((path) => [path, readFileSync(join(work, 'compiled', path))]));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface SetOptions {
  readonly revision: string;
  readonly signer?: KeyObject;
  /** Changes the manifest's bytes after signing. */
  readonly tamperManifest?: boolean;
  /** Changes the bundle's bytes, keeping the manifest (and its signature) as they were. */
  readonly tamperBundle?: boolean;
}

/** Writes an artifact set into `dir` (manifest last, as the reloader watches it); returns its version. */
function writeSet(dir: string, options: SetOptions): string {
  const manifest = buildManifest([...files].map(([path, bytes]) => ({ path, bytes })), compiled.fleets, options.revision, compiled.compiler.version);
  const manifestBytes = jsonBytes(manifest);
  rmSync(dir, { recursive: true, force: true });
  for (const [path, bytes] of files) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, options.tamperBundle && path === BUNDLE_FILE ? Buffer.concat([bytes, Buffer.from('x')]) : bytes);
  }
  if (options.signer) writeFileSync(join(dir, SIGNATURE_FILE), signatureFile(manifestBytes, options.signer).bytes);
  const edited = Buffer.from(manifestBytes.toString().replace(options.revision, `${options.revision}-edited`));
  writeFileSync(join(dir, MANIFEST_FILE), options.tamperManifest ? edited : manifestBytes);
  return manifest.version;
}

function reloader(dir: string, trustedKeys?: readonly KeyObject[]) {
  const logger = memoryLogger();
  const rejections: RejectionReason[] = [];
  const r = new ArtifactReloader({
    source: folderSource(dir),
    controlPlane: { host: '127.0.0.1', port: 9001 },
    env: SECRETS,
    ...(trustedKeys ? { trustedKeys } : {}),
    intervalMs: 3_600_000,
    retryMs: 0,
    logger,
    onLoaded: () => undefined,
    onRejected: (_message, reason) => rejections.push(reason),
  });
  return { r, logger, rejections };
}

describe('signed artifact sets', () => {
  it('loads what `compile` signed', async () => {
    const { r } = reloader(join(work, 'compiled'), [keyA.publicKey]);
    await r.start();
    r.stop();
    expect(r.status().loaded).toMatchObject({ version: compiled.version, sourceRevision: 'signed-rev', signedBy: keyA.keyId });
  });

  it('loads a set signed by a trusted key and refuses unsigned, wrongly signed and tampered sets, keeping the last good one', async () => {
    const dir = join(work, 'served');
    const good = writeSet(dir, { revision: 'r1', signer: keyA.privateKey });
    const { r, logger, rejections } = reloader(dir, [keyA.publicKey]);
    await r.start();
    r.stop();
    expect(r.status().loaded).toMatchObject({ version: good, sourceRevision: 'r1', signedBy: keyA.keyId });
    expect(r.status().trustedKeys).toEqual([keyA.keyId]);
    expect(logger.lines.join('\n')).not.toContain('NOT verified');

    const cases: [SetOptions, RejectionReason, string][] = [
      [{ revision: 'r2' }, 'unsigned', 'not signed'],
      [{ revision: 'r3', signer: keyB.privateKey }, 'untrusted-key', keyB.keyId],
      [{ revision: 'r4', signer: keyA.privateKey, tamperManifest: true }, 'bad-signature', 'modified after signing'],
      [{ revision: 'r5', signer: keyA.privateKey, tamperBundle: true }, 'hash-mismatch', 'does not match its hash'],
    ];
    for (const [set, reason, message] of cases) {
      const version = writeSet(dir, set);
      await r.check();
      const status = r.status();
      expect(status.loaded?.version, set.revision).toBe(good);
      expect(r.artifacts?.sourceRevision).toBe('r1');
      expect(status.rejected).toMatchObject({ reason, message: expect.stringContaining(message) as string });
      // A tampered manifest claims the version it was edited from; others name their own.
      if (!set.tamperManifest) expect(status.rejected?.version).toBe(version);
    }
    expect(rejections).toEqual(['unsigned', 'untrusted-key', 'bad-signature', 'hash-mismatch']);

    const next = writeSet(dir, { revision: 'r6', signer: keyA.privateKey });
    await r.check();
    expect(r.status().loaded).toMatchObject({ version: next, signedBy: keyA.keyId });
    expect(r.status().rejected).toBeUndefined();
  });

  it('rotates keys: with both keys trusted, sets signed by either load', async () => {
    const dir = join(work, 'rotation');
    writeSet(dir, { revision: 'old-key', signer: keyA.privateKey });
    const { r } = reloader(dir, [keyA.publicKey, keyB.publicKey]);
    await r.start();
    r.stop();
    expect(r.status().loaded).toMatchObject({ sourceRevision: 'old-key', signedBy: keyA.keyId });
    writeSet(dir, { revision: 'new-key', signer: keyB.privateKey });
    await r.check();
    expect(r.status().loaded).toMatchObject({ sourceRevision: 'new-key', signedBy: keyB.keyId });
  });

  it('refuses the first set too: nothing is served until a signed set arrives', async () => {
    const dir = join(work, 'first');
    writeSet(dir, { revision: 'unsigned' });
    const { r } = reloader(dir, [keyA.publicKey]);
    await r.start();
    r.stop();
    expect(r.artifacts).toBeUndefined();
    expect(r.status().rejected).toMatchObject({ reason: 'unsigned' });
  });

  it('without trusted keys, loads unsigned sets and says loudly that they are not verified', async () => {
    const dir = join(work, 'unverified');
    writeSet(dir, { revision: 'plain' });
    const { r, logger } = reloader(dir);
    await r.start();
    r.stop();
    expect(r.status()).toMatchObject({ loaded: { sourceRevision: 'plain' }, trustedKeys: [] });
    expect(r.status().loaded?.signedBy).toBeUndefined();
    expect(logger.lines.join('\n')).toMatch(/warn .*artifact signatures are NOT verified/);
  });
});

describe('staggered loads (HA: replicas that never all stall at once)', () => {
  afterAll(() => vi.useRealTimers());

  it('loads the first set at once and a new set only after staggerMs', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const dir = join(work, 'staggered');
    const first = writeSet(dir, { revision: 'one' });
    const r = new ArtifactReloader({
      source: folderSource(dir), controlPlane: { host: '127.0.0.1', port: 9001 }, env: SECRETS, intervalMs: 3_600_000, retryMs: 0,
      logger: memoryLogger(), onLoaded: () => undefined, staggerMs: 1500,
    });
    await r.start();
    r.stop();
    expect(r.status().loaded?.version).toBe(first);
    const second = writeSet(dir, { revision: 'two' });
    await r.check();
    vi.advanceTimersByTime(1000);
    await r.check();
    expect(r.status().loaded?.version).toBe(first);
    vi.advanceTimersByTime(600);
    await r.check();
    expect(r.status().loaded?.version).toBe(second);
  });
});

describe('credentials that appear after a set loaded', () => {
  it('picks up an upstream identity\'s client secret once it is provided, without a new set', async () => {
    const dir = join(work, 'client-secret');
    writeSet(dir, { revision: 'r-client' });
    const env: NodeJS.ProcessEnv = { ...SECRETS };
    const loaded: string[] = [];
    const r = new ArtifactReloader({
      source: folderSource(dir), controlPlane: { host: '127.0.0.1', port: 9001 }, env, intervalMs: 3_600_000, retryMs: 0,
      logger: memoryLogger(), onLoaded: (set) => loaded.push(set.version),
    });
    await r.start();
    r.stop();
    expect(r.artifacts?.identities.clientSecrets.has('dev-idp-gateway-client')).toBe(false);
    env.GATEHOUSE_SECRET_DEV_IDP_GATEWAY_CLIENT = 'client-secret';
    await r.check();
    expect(r.artifacts?.identities.clientSecrets.get('dev-idp-gateway-client')).toBe('client-secret');
    expect(loaded).toHaveLength(2);
  });
});
