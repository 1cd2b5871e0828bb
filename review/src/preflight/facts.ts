// What `gatehouse preflight` gathers before the points are judged: the compiled registry, the Rego
// coverage, the artifact set, the tools lock and, with --live, the control plane's /status and the
// upstream addresses. Gathering does the I/O (run-preflight.ts); the points only read these.
import type { Ir } from '../../../compiler/src/ir/types.ts';
import type { Checked, RegoCoverage } from '../check/rego/rego-facts.ts';

/** The artifact set named by --artifacts. */
export interface ArtifactFacts {
  readonly dir: string;
  /** The manifest's version, when it could be read. */
  readonly version?: string;
  /** Whether manifest.sig verifies, against which key, or why not. */
  readonly signature: { readonly signed: true; readonly keyId: string; readonly verified: boolean } | { readonly signed: false; readonly problem: string };
}

/** The part of the control plane's /status preflight reads. */
export interface LiveStatus {
  readonly url: string;
  readonly loaded?: { readonly version: string; readonly sourceRevision: string; readonly signedBy?: string };
  readonly trustedKeys: readonly string[];
  readonly nodes: number;
  /** `mtls` or `plaintext`, when the control plane reports it. */
  readonly transport?: string;
}

/** The lock file of reviewed tool definitions (tools.lock.yaml), as the set of pinned `server/tool` names. */
export type ToolsLock = { readonly file: string; readonly pinned: ReadonlySet<string> } | { readonly problem: string };

export interface PreflightFacts {
  readonly root: string;
  readonly ir: Ir;
  readonly coverage: Checked<RegoCoverage>;
  readonly toolsLock: ToolsLock;
  /** Whether a file relative to the root exists, and its text (network policy, break-glass procedure). */
  readonly readFile: (path: string) => string | undefined;
  readonly artifacts?: ArtifactFacts;
  /** With --live: the status, or why it could not be read. */
  readonly live?: LiveStatus | { readonly url: string; readonly problem: string };
  /** With --live: each upstream host's addresses, or the resolution error. */
  readonly resolved?: ReadonlyMap<string, readonly string[] | { readonly problem: string }>;
}
