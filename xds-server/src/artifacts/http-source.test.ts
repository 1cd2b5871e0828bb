// Artifact sets from an HTTP host through the reloader, as `serve --artifacts https://…` runs it:
// polled with If-None-Match (a 304 fetches nothing else), checked by signature and hash before use,
// and on any failure — host down, 5xx, tampered file, wrong key, too big, too slow — the last good
// set stays in force and the failure shows in the status.
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compileExample } from '../../../testkit/compiled-example.ts';
import { startArtifactHost, type ArtifactHost } from '../../../testkit/artifact-host.ts';
import { BUNDLE_FILE, MANIFEST_FILE, SIGNATURE_FILE } from '../../../artifacts/src/layout.ts';
import { buildManifest, jsonBytes, type Manifest } from '../../../artifacts/src/manifest.ts';
import { generateSigningKeyPair, parsePrivateKey, parsePublicKey, signatureFile } from '../../../artifacts/src/signature.ts';
import { memoryLogger } from '../log.ts';
import type { RejectionReason } from './artifact-error.ts';
import type { FetchResult } from './artifact-source.ts';
import { artifactBaseUrl, httpSource, type HttpSourceOptions } from './http-source.ts';
import { ArtifactReloader } from './reloader.ts';

const SECRETS = { GATEHOUSE_SECRET_TICKETS_API_TOKEN: 'Bearer t0k3n', GATEHOUSE_SECRET_PAYMENTS_API_KEY: 'k3y', GATEHOUSE_SECRET_INVENTORY_API_KEY: 'i' };

function keyPair() {
  const pair = generateSigningKeyPair();
  return { keyId: pair.keyId, privateKey: parsePrivateKey(pair.privatePem, 'key'), publicKey: parsePublicKey(pair.publicPem, 'key.pub') };
}
const trusted = keyPair();
const other = keyPair();

let work: string;
let compiled: Manifest;
let files: Map<string, Buffer>;
let host: ArtifactHost;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gatehouse-http-source-'));
  compiled = (await compileExample('r0', join(work, 'compiled'))).manifest!;
  files = new Map(Object.keys(compiled.files).map((path) => [path, readFileSync(join(work, 'compiled', path))]));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeEach(async () => {
  host = await startArtifactHost();
});
afterEach(() => host.close());

interface SetOptions {
  readonly signer?: KeyObject;
  readonly tamperBundle?: boolean;
  /** Extra files listed in the manifest (path → bytes). */
  readonly extra?: Readonly<Record<string, Buffer>>;
  /** Rewrites the manifest's file list (after hashing). */
  readonly editFiles?: (files: Manifest['files']) => Manifest['files'];
}

/** Writes a set with this revision into a local folder, as `compile` would; returns the folder and version. */
function set(revision: string, options: SetOptions = {}): { dir: string; version: string } {
  const dir = join(work, `set-${revision}-${Math.random().toString(36).slice(2, 8)}`);
  const all = [...files, ...Object.entries(options.extra ?? {})];
  const built = buildManifest(all.map(([path, bytes]) => ({ path, bytes })), compiled.fleets, revision, compiled.compiler.version);
  const manifest = options.editFiles ? { ...built, files: options.editFiles(built.files) } : built;
  const manifestBytes = jsonBytes(manifest);
  for (const [path, bytes] of all) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), options.tamperBundle && path === BUNDLE_FILE ? Buffer.concat([bytes, Buffer.from('x')]) : bytes);
  }
  if (options.signer) writeFileSync(join(dir, SIGNATURE_FILE), signatureFile(manifestBytes, options.signer).bytes);
  writeFileSync(join(dir, MANIFEST_FILE), manifestBytes);
  return { dir, version: manifest.version };
}

function reloader(url: string, keys: readonly KeyObject[] | undefined, source: Partial<HttpSourceOptions> = {}) {
  const rejections: RejectionReason[] = [];
  const fetches: FetchResult[] = [];
  const logger = memoryLogger();
  const r = new ArtifactReloader({
    source: httpSource({ url, timeoutMs: 2_000, stagingDir: work, ...source, onFetch: (result) => fetches.push(result) }),
    controlPlane: { host: '127.0.0.1', port: 9001 },
    env: SECRETS,
    ...(keys ? { trustedKeys: keys } : {}),
    intervalMs: 3_600_000,
    retryMs: 0,
    logger,
    onLoaded: () => undefined,
    onRejected: (_message, reason) => rejections.push(reason),
  });
  return { r, rejections, fetches, logger };
}

describe('artifact sets over HTTP', () => {
  it('loads a signed set, answers an unchanged poll with one 304, and moves to a newly published set', async () => {
    const first = set('r1', { signer: trusted.privateKey });
    host.publish(first.dir);
    const { r, fetches } = reloader(host.url, [trusted.publicKey]);
    await r.start();
    r.stop();
    expect(r.status().loaded).toMatchObject({ version: first.version, sourceRevision: 'r1', signedBy: trusted.keyId });
    const before = host.requests.length;
    await r.check();
    // One conditional request, nothing else fetched.
    expect(host.requests.slice(before)).toEqual([{ path: `artifacts/${MANIFEST_FILE}`, status: 304 }]);
    expect(fetches).toEqual(['fetched', 'not-modified']);
    expect(r.status().source).toMatchObject({ url: host.url, lastFetch: { result: 'not-modified' }, consecutiveFailures: 0 });

    const second = set('r2', { signer: trusted.privateKey });
    host.publish(second.dir);
    await r.check();
    expect(r.status().loaded).toMatchObject({ version: second.version, sourceRevision: 'r2' });
    expect(readdirStaging()).toEqual([]);
  });

  it('refuses a tampered file, a wrong key and an unsigned set, keeping the last good set', async () => {
    host.publish(set('good', { signer: trusted.privateKey }).dir);
    const { r, rejections } = reloader(host.url, [trusted.publicKey]);
    await r.start();
    r.stop();
    const good = r.status().loaded?.version;
    const cases: [SetOptions, RejectionReason, string][] = [
      [{ signer: trusted.privateKey, tamperBundle: true }, 'hash-mismatch', `${BUNDLE_FILE} is larger than`],
      [{ signer: other.privateKey }, 'untrusted-key', other.keyId],
      [{}, 'unsigned', 'not signed'],
    ];
    let requested: string[] = [];
    for (const [options, reason, message] of cases) {
      const bad = set(`bad-${reason}`, options);
      host.publish(bad.dir);
      const before = host.requests.length;
      await r.check();
      requested = host.requests.slice(before).map((q) => q.path.replace('artifacts/', ''));
      expect(r.status().loaded?.version, reason).toBe(good);
      expect(r.status().rejected).toMatchObject({ version: bad.version, reason, message: expect.stringContaining(message) as string });
    }
    expect(rejections).toEqual(['hash-mismatch', 'untrusted-key', 'unsigned']);
    // A refused signature stops the fetch before any listed file is downloaded.
    // (The last request asks whether the manifest moved meanwhile: a half-published set is not tampering.)
    expect(requested).toEqual([MANIFEST_FILE, SIGNATURE_FILE, MANIFEST_FILE]);
  });

  it('keeps the last good set when the host answers 503 or is gone, and says so in the status', async () => {
    const good = set('good');
    host.publish(good.dir);
    const { r, fetches } = reloader(host.url, undefined);
    await r.start();
    r.stop();
    host.failWith(503);
    await r.check();
    await r.check();
    expect(r.status().loaded?.version).toBe(good.version);
    expect(r.status().source).toMatchObject({ consecutiveFailures: 2, lastFetch: { result: 'error', error: expect.stringContaining('HTTP 503') as string } });
    host.failWith(undefined);
    await r.check();
    expect(r.status().source).toMatchObject({ consecutiveFailures: 0, lastFetch: { result: 'not-modified' } });
    await host.close();
    await r.check();
    expect(r.status().loaded?.version).toBe(good.version);
    expect(r.status().source?.lastFetch).toMatchObject({ result: 'error', error: expect.stringMatching(/^GET .*manifest\.json: (connect ECONNREFUSED|other side closed)/) as string });
    expect(fetches).toEqual(['fetched', 'error', 'error', 'not-modified', 'error']);
    host = await startArtifactHost();
  });

  it('a file the host fails to deliver (5xx) is retried at the next poll, not refused; one it does not have (404) refuses the set', async () => {
    const good = set('good');
    host.publish(good.dir);
    const { r, rejections, fetches } = reloader(host.url, undefined);
    await r.start();
    r.stop();
    const next = set('next');
    host.failWith(503, BUNDLE_FILE);
    host.publish(next.dir);
    await r.check();
    expect(r.status().loaded?.version).toBe(good.version);
    expect(r.status().rejected).toBeUndefined();
    expect(r.status().source).toMatchObject({ consecutiveFailures: 1, lastFetch: { result: 'error', error: expect.stringContaining('HTTP 503') as string } });
    host.failWith(undefined);
    await r.check();
    expect(r.status().loaded?.version).toBe(next.version);
    expect(fetches).toEqual(['fetched', 'fetched', 'error', 'not-modified']);

    const incomplete = set('incomplete');
    host.publish(incomplete.dir);
    host.failWith(404, BUNDLE_FILE);
    await r.check();
    expect(r.status().rejected).toMatchObject({ version: incomplete.version, reason: 'invalid', message: expect.stringContaining('HTTP 404') as string });
    expect(rejections).toEqual(['invalid']);
  });

  it('bounds the fetch: a set larger than the cap and a host slower than the deadline are refused', async () => {
    host.publish(set('small').dir);
    const small = reloader(host.url, undefined, { maxSetBytes: 1000 });
    await small.r.start();
    small.r.stop();
    expect(small.r.artifacts).toBeUndefined();
    expect(small.r.status().rejected?.message).toMatch(/more than the 1000 allowed/);

    const slow = createServer(() => undefined);
    slow.listen(0, '127.0.0.1');
    await once(slow, 'listening');
    try {
      const { r } = reloader(`http://127.0.0.1:${(slow.address() as AddressInfo).port}/`, undefined, { timeoutMs: 200 });
      const started = Date.now();
      await r.check();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(r.status().source?.lastFetch?.error).toMatch(/no complete answer within 200 ms/);
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });

  it('refuses a manifest that lists a path outside the set', async () => {
    const escaping = set('escape', {
      extra: { 'xds/extra.json': Buffer.from('{}') },
      editFiles: (listed) => Object.fromEntries(Object.entries(listed).map(([p, e]) => [p === 'xds/extra.json' ? '../../outside.json' : p, e])),
    });
    host.publish(set('good').dir);
    const { r } = reloader(host.url, undefined);
    await r.start();
    r.stop();
    writeFileSync(join(host.root, MANIFEST_FILE), readFileSync(join(escaping.dir, MANIFEST_FILE)));
    await r.check();
    expect(r.status().rejected?.message).toContain('unsafe path "../../outside.json"');
  });

  it('a set republished while it was being fetched is not refused: the next poll loads the new one', async () => {
    const first = set('first');
    const next = set('next');
    host.publish(first.dir);
    let republish = false;
    const racing: typeof fetch = async (input, init) => {
      if (republish && (input as string).endsWith(BUNDLE_FILE)) {
        republish = false;
        host.publish(next.dir);
        // The old manifest's bundle is gone: serve a changed one, as a half-way upload would.
        writeFileSync(join(host.root, BUNDLE_FILE), Buffer.from('not the bundle'));
      }
      return fetch(input, init);
    };
    const { r, rejections, logger } = reloader(host.url, undefined, { fetch: racing });
    republish = true;
    await r.check();
    expect(rejections).toEqual([]);
    expect(logger.lines.join('\n')).toContain('changed while it was fetched');
    host.publish(next.dir);
    await r.check();
    expect(r.status().loaded?.version).toBe(next.version);
  });

  it('takes the folder URL with or without manifest.json', () => {
    expect(artifactBaseUrl('https://example.com/sets/prod')).toBe('https://example.com/sets/prod/');
    expect(artifactBaseUrl('https://example.com/sets/prod/manifest.json?x=1')).toBe('https://example.com/sets/prod/');
  });
});

function readdirStaging(): string[] {
  return readdirSync(work).filter((name) => name.startsWith('gatehouse-artifacts-'));
}
