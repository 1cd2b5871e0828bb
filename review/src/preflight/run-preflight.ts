// `gatehouse preflight`: gathers the facts (compiles the registry in memory, runs `opa test --coverage`
// with the pinned OPA, reads the artifact set, the tools lock and, with --live, the control plane's
// /status and the upstreams' addresses), then judges the 12 points. I/O happens here only.
import { lookup } from 'node:dns/promises';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { MANIFEST_FILE, SIGNATURE_FILE } from '../../../artifacts/src/layout.ts';
import { verifyManifest } from '../../../artifacts/src/signature.ts';
import { hasErrors, type Diagnostic } from '../../../compiler/src/diagnostics/diagnostic.ts';
import { compile } from '../../../compiler/src/pipeline/compile.ts';
import type { Progress } from '../../../compiler/src/pipeline/progress.ts';
import { readTree } from '../../../compiler/src/source/read-tree.ts';
import { runRegoChecks } from '../check/rego/run-rego-checks.ts';
import type { ArtifactFacts, LiveStatus, PreflightFacts } from './facts.ts';
import { judgePoints } from './points.ts';
import { PREFLIGHT_FORMAT, type PreflightReport } from './report.ts';
import { readToolsLock } from './tools-lock.ts';

export interface PreflightOptions {
  readonly root: string;
  /** A compiled artifact set to check (signature). */
  readonly artifacts?: string;
  /** Public keys the artifact set's signature is verified against. */
  readonly trustedKeys?: readonly KeyObject[];
  /** The control plane's admin URL (`http://host:port`), and its admin token. */
  readonly live?: { readonly url: string; readonly token?: string };
}

/** The report, or the compile diagnostics when the registry does not compile (no point can be judged). */
export async function runPreflight(options: PreflightOptions, progress: Progress): Promise<PreflightReport | { readonly diagnostics: readonly Diagnostic[] }> {
  const tree = readTree(options.root);
  const policies = tree.files.filter((f) => f.kind === 'policy');
  const [compiled, rego] = await Promise.all([
    compile({ root: options.root, revision: 'gatehouse-preflight', skipEnvoyValidate: true }, progress),
    progress.stageAsync('rego coverage', () => runRegoChecks({ policies }, { tests: false, coverage: true, format: false, lint: false })),
  ]);
  const ir = compiled.ir;
  if (!ir || hasErrors(compiled.diagnostics)) return { diagnostics: compiled.diagnostics.filter((d) => d.severity === 'error') };
  const live = options.live ? await readLiveStatus(options.live.url, options.live.token) : undefined;
  const resolved = options.live ? await resolveHosts(ir.servers.map((s) => s.upstream)) : undefined;
  const facts: PreflightFacts = {
    root: options.root,
    ir,
    coverage: rego.coverage,
    toolsLock: readToolsLock(options.root),
    readFile: (path) => readInside(options.root, path),
    ...(options.artifacts ? { artifacts: readArtifacts(options.artifacts, options.trustedKeys ?? []) } : {}),
    ...(live ? { live } : {}),
    ...(resolved ? { resolved } : {}),
  };
  const points = judgePoints(facts);
  const count = (status: string) => points.filter((p) => p.status === status).length;
  return {
    format: PREFLIGHT_FORMAT,
    summary: { passed: count('passed'), failed: count('failed'), notApplicable: count('not-applicable') },
    points,
  };
}

/** A file inside the repository, by its path relative to the root; undefined when absent or outside. */
function readInside(root: string, path: string): string | undefined {
  const full = resolve(root, path);
  const inside = relative(root, full);
  if (isAbsolute(path) || inside.startsWith('..') || !existsSync(full)) return undefined;
  try {
    return readFileSync(full, 'utf8');
  } catch {
    return undefined;
  }
}

function readArtifacts(dir: string, trusted: readonly KeyObject[]): ArtifactFacts {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) return { dir, signature: { signed: false, problem: `no ${MANIFEST_FILE}: not an artifact set` } };
  const manifest = readFileSync(manifestPath);
  const version = versionOf(manifest.toString('utf8'));
  const signaturePath = join(dir, SIGNATURE_FILE);
  const signatureText = existsSync(signaturePath) ? readFileSync(signaturePath, 'utf8') : undefined;
  const base = { dir, ...(version ? { version } : {}) };
  if (trusted.length) {
    const result = verifyManifest(manifest, signatureText, trusted);
    return { ...base, signature: result.ok ? { signed: true, keyId: result.keyId, verified: true } : { signed: false, problem: result.message } };
  }
  // Without a trusted key the signature cannot be verified: report the key it names, marked unverified.
  if (signatureText === undefined) return { ...base, signature: { signed: false, problem: `the artifacts are not signed (no ${SIGNATURE_FILE})` } };
  const keyId = /"keyId"\s*:\s*"([0-9a-f]{64})"/.exec(signatureText)?.[1];
  return { ...base, signature: keyId ? { signed: true, keyId, verified: false } : { signed: false, problem: `${SIGNATURE_FILE} is malformed` } };
}

function versionOf(manifestText: string): string | undefined {
  try {
    const value = JSON.parse(manifestText) as { version?: unknown };
    return typeof value.version === 'string' ? value.version : undefined;
  } catch {
    return undefined;
  }
}

const LIVE_TIMEOUT_MS = 5000;

async function readLiveStatus(url: string, token: string | undefined): Promise<LiveStatus | { url: string; problem: string }> {
  const statusUrl = `${url.replace(/\/+$/, '')}/status`;
  let body: unknown;
  try {
    const response = await fetch(statusUrl, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(LIVE_TIMEOUT_MS),
    });
    if (!response.ok) return { url, problem: `GET ${statusUrl} answered ${response.status}${response.status === 401 ? ' (give --admin-token-file)' : ''}` };
    body = await response.json();
  } catch (error) {
    return { url, problem: `GET ${statusUrl} failed: ${(error as Error).message}` };
  }
  const status = body as {
    artifacts?: { loaded?: LiveStatus['loaded']; trustedKeys?: string[] };
    nodes?: unknown[];
    transport?: string;
  };
  return {
    url,
    ...(status.artifacts?.loaded ? { loaded: status.artifacts.loaded } : {}),
    trustedKeys: status.artifacts?.trustedKeys ?? [],
    nodes: Array.isArray(status.nodes) ? status.nodes.length : 0,
    ...(status.transport ? { transport: status.transport } : {}),
  };
}

/** Each upstream host's addresses (IP hosts resolve to themselves). */
async function resolveHosts(upstreams: readonly { host: string; hostIsIp: boolean }[]) {
  const out = new Map<string, readonly string[] | { problem: string }>();
  for (const { host, hostIsIp } of upstreams) {
    if (out.has(host)) continue;
    if (hostIsIp) {
      out.set(host, [host]);
      continue;
    }
    try {
      out.set(host, (await lookup(host, { all: true })).map((a) => a.address));
    } catch (error) {
      out.set(host, { problem: (error as NodeJS.ErrnoException).code ?? String(error) });
    }
  }
  return out;
}
