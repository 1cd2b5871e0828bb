// [impure] Artifact sets published over HTTP(S) by CI (init-template's workflow): the compile
// output folder as-is at a base URL — manifest.json, manifest.sig, and every file the manifest
// lists at its path. The manifest is polled with If-None-Match (or If-Modified-Since), so an
// unchanged set costs one 304. A new set is fetched into a private staging folder, each file
// checked against its hash as it arrives (and the signature before anything else, when keys are
// trusted), then loaded by load.ts exactly like a folder, which verifies it all again. Any failure
// — network, status, size, time, hash, signature — leaves the set in force serving.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MANIFEST_FILE, SIGNATURE_FILE } from '../../../artifacts/src/layout.ts';
import { sha256 } from '../../../artifacts/src/manifest.ts';
import { ArtifactError } from './artifact-error.ts';
import { SetChangedWhileFetching, SourceUnavailable, type ArtifactSource, type FetchResult, type SourceStatus } from './artifact-source.ts';
import { boundedGet, FetchFailed, TooLarge, type BoundedResponse } from './bounded-fetch.ts';
import { checkSignature } from './check-signature.ts';
import { loadArtifacts } from './load.ts';

export interface HttpSourceOptions {
  /** The base URL of the published folder (a trailing `manifest.json` is accepted). */
  readonly url: string;
  /** Deadline of each request, body included. */
  readonly timeoutMs?: number;
  /** The largest set fetched, all files together (the manifest declares each file's size). */
  readonly maxSetBytes?: number;
  /** Where staging folders go (removed after each load); default the system's temporary folder. */
  readonly stagingDir?: string;
  readonly onFetch?: (result: FetchResult) => void;
  readonly fetch?: typeof fetch;
}

export const HTTP_SOURCE_DEFAULTS = { timeoutMs: 10_000, maxSetBytes: 256 * 1024 * 1024 } as const;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_SIGNATURE_BYTES = 64 * 1024;
/** A manifest path: relative, plain segments (no `..`, no absolute path, nothing a URL would reinterpret). */
const SAFE_PATH = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

export function artifactBaseUrl(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  if (parsed.pathname.endsWith(`/${MANIFEST_FILE}`)) parsed.pathname = parsed.pathname.slice(0, -MANIFEST_FILE.length);
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  return parsed.toString();
}

export function httpSource(options: HttpSourceOptions): ArtifactSource {
  const base = artifactBaseUrl(options.url);
  const timeoutMs = options.timeoutMs ?? HTTP_SOURCE_DEFAULTS.timeoutMs;
  const maxSetBytes = options.maxSetBytes ?? HTTP_SOURCE_DEFAULTS.maxSetBytes;
  const get = (path: string, maxBytes: number, headers: Record<string, string> = {}) =>
    boundedGet(new URL(path, base).toString(), { timeoutMs, maxBytes, headers, ...(options.fetch ? { fetch: options.fetch } : {}) });
  let cached: { text: string; etag?: string; lastModified?: string } | undefined;
  let state: { lastFetch?: SourceStatus['lastFetch']; lastSuccessAt?: string; consecutiveFailures: number } = { consecutiveFailures: 0 };

  const record = (result: FetchResult, error?: string) => {
    const at = new Date().toISOString();
    state = {
      lastFetch: { at, result, ...(error ? { error } : {}) },
      lastSuccessAt: result === 'error' ? state.lastSuccessAt : at,
      consecutiveFailures: result === 'error' ? state.consecutiveFailures + 1 : 0,
    };
    options.onFetch?.(result);
  };
  const conditional = (): Record<string, string> =>
    cached?.etag ? { 'if-none-match': cached.etag } : cached?.lastModified ? { 'if-modified-since': cached.lastModified } : {};

  return {
    location: base,

    async manifest() {
      let response: BoundedResponse;
      try {
        response = await get(MANIFEST_FILE, MAX_MANIFEST_BYTES, conditional());
        if (response.status === 304 && cached) {
          record('not-modified');
          return cached.text;
        }
        if (response.status !== 200) throw new FetchFailed(`GET ${base}${MANIFEST_FILE}: HTTP ${response.status}`, response.status);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        record('error', message);
        throw new ArtifactError(message);
      }
      const text = response.body.toString('utf8');
      const etag = response.headers.get('etag') ?? undefined;
      const lastModified = response.headers.get('last-modified') ?? undefined;
      cached = { text, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
      record('fetched');
      return text;
    },

    async load(loadOptions, manifestText) {
      const validator = cached?.text === manifestText ? conditional() : {};
      const stage = mkdtempSync(join(options.stagingDir ?? tmpdir(), 'gatehouse-artifacts-'));
      try {
        const keys = loadOptions.trustedKeys;
        await stageSet(stage, manifestText, get, maxSetBytes, keys ? () => checkSignature(stage, manifestText, keys) : () => undefined);
        return await loadArtifacts({ ...loadOptions, dir: stage }, manifestText);
      } catch (error) {
        // A publish half-way through (new files under an old manifest, or the reverse) looks like
        // tampering; if the manifest moved meanwhile, it is not: the next poll fetches the new set.
        const moved = Object.keys(validator).length > 0 && (await changedSince(validator));
        if (moved) throw new SetChangedWhileFetching('the published set changed while it was fetched');
        if (!(error instanceof FetchFailed)) throw error;
        // The host did not deliver (network, 5xx, deadline): try again at the next poll. A 4xx for a
        // listed file is a set published incomplete: refused like any bad set.
        if (error.status === undefined || error.status >= 500 || error.status === 429) {
          record('error', error.message);
          throw new SourceUnavailable(`cannot fetch the set: ${error.message}`);
        }
        throw new ArtifactError(`cannot fetch the set: ${error.message}`);
      } finally {
        rmSync(stage, { recursive: true, force: true });
      }
    },

    status: () => ({ url: base, ...state, ...(cached?.etag ? { etag: cached.etag } : {}) }),
  };

  async function changedSince(validator: Record<string, string>): Promise<boolean> {
    try {
      return (await get(MANIFEST_FILE, MAX_MANIFEST_BYTES, validator)).status === 200;
    } catch {
      return false;
    }
  }
}

type Get = (path: string, maxBytes: number) => Promise<BoundedResponse>;

/**
 * Fetches the set into `stage`: the manifest and signature first, then (once `verifySignature` passed) each
 * listed file, checked against its hash as it arrives.
 */
async function stageSet(stage: string, manifestText: string, get: Get, maxSetBytes: number, verifySignature: () => unknown): Promise<void> {
  let files: Record<string, { sha256?: unknown; bytes?: unknown }>;
  try {
    files = ((JSON.parse(manifestText) as { files?: unknown }).files ?? {}) as typeof files;
  } catch {
    throw new ArtifactError(`${MANIFEST_FILE} is not valid JSON`);
  }
  if (typeof files !== 'object') throw new ArtifactError(`${MANIFEST_FILE} has no file list`);
  writeFileSync(join(stage, MANIFEST_FILE), manifestText);
  const signature = await get(SIGNATURE_FILE, MAX_SIGNATURE_BYTES);
  if (signature.status === 200) writeFileSync(join(stage, SIGNATURE_FILE), signature.body);
  else if (signature.status !== 404 && signature.status !== 403) throw new FetchFailed(`GET ${SIGNATURE_FILE}: HTTP ${signature.status}`, signature.status);
  // The signature vouches for the manifest, which pins every file: check it before fetching them.
  verifySignature();
  const entries = Object.entries(files);
  let total = 0;
  for (const [path, entry] of entries) {
    if (!SAFE_PATH.test(path)) throw new ArtifactError(`${MANIFEST_FILE} lists an unsafe path ${JSON.stringify(path.slice(0, 200))}`);
    if (typeof entry.bytes !== 'number' || typeof entry.sha256 !== 'string') throw new ArtifactError(`${MANIFEST_FILE}: ${path} has no size or hash`);
    total += entry.bytes;
  }
  if (total > maxSetBytes) throw new ArtifactError(`the set is ${total} bytes, more than the ${maxSetBytes} allowed`);
  for (const [path, entry] of entries) {
    const response = await get(path, entry.bytes as number).catch((error: unknown) => {
      // Larger than the manifest says: not the file it pins.
      if (error instanceof TooLarge) throw new ArtifactError(`${path} is larger than ${MANIFEST_FILE} says (modified or partly published)`, 'hash-mismatch');
      throw error;
    });
    if (response.status !== 200) throw new FetchFailed(`GET ${path}: HTTP ${response.status}`, response.status);
    if (sha256(response.body) !== entry.sha256) {
      throw new ArtifactError(`${path} does not match its hash in ${MANIFEST_FILE} (modified or partly published)`, 'hash-mismatch');
    }
    mkdirSync(dirname(join(stage, path)), { recursive: true });
    writeFileSync(join(stage, path), response.body);
  }
}
