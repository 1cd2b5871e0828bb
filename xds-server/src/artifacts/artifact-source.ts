// Where the control plane's artifact sets come from: a local folder (compile's output, or a copy of
// it) or an HTTP(S) URL where CI publishes the same folder (http-source.ts). Both give the newest
// manifest cheaply, so the reloader can tell a new set from the one in force, and load a set only
// after verifying it end to end (load.ts); a set that fails is refused and the last good one stays.
import type { LoadedArtifacts, LoadOptions } from './load.ts';
import { loadArtifacts, readManifestText } from './load.ts';

export interface ArtifactSource {
  /** The folder or URL, for logs and /status. */
  readonly location: string;
  /** The newest set's manifest text; throws when it cannot be read (the set in force stays). */
  manifest(): Promise<string>;
  /** Loads and verifies the set this manifest describes; throws ArtifactError to refuse it. */
  load(options: SourceLoadOptions, manifestText: string): Promise<LoadedArtifacts>;
  /** How the source itself is doing (HTTP: the last fetch), for /status. */
  status?(): SourceStatus;
}

export type SourceLoadOptions = Omit<LoadOptions, 'dir'>;

export interface SourceStatus {
  readonly url: string;
  readonly lastFetch?: { readonly at: string; readonly result: FetchResult; readonly error?: string };
  /** The last time a fetch reached the host and got the manifest (changed or not). */
  readonly lastSuccessAt?: string;
  readonly consecutiveFailures: number;
  readonly etag?: string;
}

/** What one poll of an HTTP source got: a new manifest, a 304, or a failure (network, status, size, time). */
export type FetchResult = 'fetched' | 'not-modified' | 'error';
export const FETCH_RESULTS: readonly FetchResult[] = ['fetched', 'not-modified', 'error'];

/** The source could not deliver a set just now (network, 5xx, timeout): not a refusal of the set; the next poll tries again. */
export class SourceUnavailable extends Error {}

/** The published set changed while it was being fetched: not a refusal, the next poll gets the new one. */
export class SetChangedWhileFetching extends SourceUnavailable {}

export function folderSource(dir: string): ArtifactSource {
  return {
    location: dir,
    manifest: () => Promise.resolve(readManifestText(dir)),
    load: (options, manifestText) => loadArtifacts({ ...options, dir }, manifestText),
  };
}

/** `serve --artifacts` takes a folder or an http(s) URL. */
export function isArtifactUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}
