// manifest.json: what a compile produced, with a content hash per file and an overall version.
import { createHash } from 'node:crypto';
import { TOOLS } from '../../toolchain/src/tools.ts';

export const MANIFEST_FORMAT = 'gatehouse.dev/artifacts/v1';

export interface ArtifactFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  /** sha256 over every file's path and hash: changes exactly when some artifact changes. */
  readonly version: string;
  readonly sourceRevision: string;
  readonly compiler: { readonly name: 'gatehouse'; readonly version: string; readonly opa: string; readonly envoy: string };
  readonly fleets: readonly string[];
  readonly files: Readonly<Record<string, { readonly sha256: string; readonly bytes: number }>>;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function buildManifest(files: readonly ArtifactFile[], fleets: readonly string[], sourceRevision: string, compilerVersion: string): Manifest {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
  const entries = sorted.map((f) => [f.path, { sha256: sha256(f.bytes), bytes: f.bytes.length }] as const);
  const version = sha256(entries.map(([path, { sha256: h }]) => `${path} ${h}\n`).join('')).slice(0, 16);
  return {
    format: MANIFEST_FORMAT,
    version,
    sourceRevision,
    compiler: { name: 'gatehouse', version: compilerVersion, opa: TOOLS.opa.version, envoy: TOOLS.envoy.version },
    fleets: [...fleets].sort(),
    files: Object.fromEntries(entries),
  };
}

/** Stable JSON: two-space indent and a final newline (keys are already in a fixed order). */
export function jsonBytes(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
}
