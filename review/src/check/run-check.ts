// `gatehouse check`: compiles the head revision (lint, Rego checks, bundle), runs the Rego tests,
// formatting and Regal checks, and with a base revision compiles that too (read from git) and diffs
// access and configuration; then runs the safety gates over all of it. I/O happens here and in the
// modules it calls (compile, git, opa, regal); diffs, gates and reports are pure.
import type { ToolLock } from '../../../compiler/src/tool-lock/lock-file.ts';
import { compareLocks } from '../tool-pinning/compare-locks.ts';
import { liveDrift, readLockAt } from '../tool-pinning/tool-drift.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeAccessMatrix, type AccessMatrix } from '../access/matrix.ts';
import { matrixSubjects } from '../access/subjects.ts';
import { decisionLayers } from '../access/decision-layers.ts';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../../../compiler/src/diagnostics/diagnostic.ts';
import { diffAccess } from '../diff/access-diff.ts';
import { diffConfig } from '../diff/config-diff.ts';
import { credentialChanges } from '../diff/credential-changes.ts';
import { upstreamIdentityChanges } from '../diff/upstream-identity-changes.ts';
import { requiredReviewers } from '../diff/required-reviewers.ts';
import type { Ir } from '../../../compiler/src/ir/types.ts';
import { compile, type CompileResult } from '../../../compiler/src/pipeline/compile.ts';
import type { Progress } from '../../../compiler/src/pipeline/progress.ts';
import { PolicyEngine } from '../../../artifacts/src/policy/engine.ts';
import { readTree, type SourceTree } from '../../../compiler/src/source/read-tree.ts';
import { anchorToFiles } from './anchor-locations.ts';
import { extractRevision, resolveBaseCommit } from './base-revision.ts';
import { CheckCache, contentKey } from './check-cache.ts';
import type { RevisionFacts } from './gate.ts';
import { registryLocator } from './registry-locator.ts';
import { runRegoChecks } from './rego/run-rego-checks.ts';
import { REPORT_FORMAT, type CheckReport } from './report.ts';
import { runGates } from './run-gates.ts';
import { checkSettingsOf } from './settings.ts';
import { unresolvedSecrets, type SecretsSource } from './unresolved-secrets.ts';
import { probeUngrantedAccess, withoutGrants, type UngrantedAccess } from './ungranted-access.ts';
import { probeUnusableGrants, type UnusableGrant } from './unusable-grants.ts';

export interface CheckOptions {
  /** The repository root (holding registry/ and policies/): the head revision, as it is on disk. */
  readonly root: string;
  /** A git ref to compare with (`origin/main`); its files are read from git. */
  readonly base?: string;
  /** Skip `envoy --mode validate` of the head revision (the Envoy API check still runs). */
  readonly skipEnvoyValidate?: boolean;
  /** Verify that every credential secretRef resolves here (`--secrets-dir`); absent: not checked. */
  readonly secrets?: SecretsSource;
  /** Compare the servers' live tools with tools.lock.yaml (`--live`), with the credentials from `secret`. */
  readonly live?: { readonly secret: (ref: string) => string | undefined };
  /** Reuse compiles and Rego checks across runs (tests). */
  readonly cache?: CheckCache;
}

/** A compiled revision and what its bundle says. */
interface Compiled extends RevisionFacts {
  readonly tree: SourceTree;
  readonly compile: CompileResult;
  readonly ungranted?: readonly UngrantedAccess[];
  readonly lock?: ToolLock;
  readonly unusable?: readonly UnusableGrant[];
}

/** Revision recorded in bundles compiled for a check: constant, so equal sources give equal bundles. */
const CHECK_REVISION = 'gatehouse-check';

/** Runs the check. Throws BaseRevisionError when --base names no commit (a usage problem). */
export async function runCheck(options: CheckOptions, progress: Progress): Promise<CheckReport> {
  const cache = options.cache ?? new CheckCache();
  const baseCommit = options.base ? await resolveBaseCommit(options.root, options.base) : undefined;
  const headTree = readTree(options.root);
  const regalPath = join(options.root, '.regal', 'config.yaml');
  const regalConfig = existsSync(regalPath) ? readFileSync(regalPath, 'utf8') : undefined;
  const policies = headTree.files.filter((f) => f.kind === 'policy');
  // The levels are known before anything compiles, so tools whose gates are off do not run.
  const levels = checkSettingsOf(undefined, headTree).gates;
  const wanted = {
    tests: levels['rego-tests-failing'] !== 'off' || levels['rego-coverage'] !== 'off',
    coverage: levels['rego-coverage'] !== 'off',
    format: levels['rego-format'] !== 'off',
    lint: levels['rego-lint'] !== 'off',
  };

  const [head, rego, base] = await Promise.all([
    compileRevision(options.root, headTree, { skipEnvoyValidate: options.skipEnvoyValidate ?? false, probe: true }, cache, progress),
    progress.stageAsync('rego checks', () =>
      cache.memo(contentKey('rego', policies, regalConfig ?? '', JSON.stringify(wanted)), () =>
        runRegoChecks({ policies, ...(regalConfig !== undefined ? { regalConfig } : {}) }, wanted),
      ),
    ),
    baseCommit ? readBase(options.root, baseCommit, cache, prefixed(progress, 'base ')) : undefined,
  ]);

  const accessDiff = head.matrix && base?.matrix ? diffAccess(base.matrix, head.matrix) : undefined;
  const configDiff = head.ir && base?.ir ? diffConfig(base.ir, head.ir) : undefined;
  const settings = checkSettingsOf(head.ir, headTree);
  const locate = registryLocator(headTree.files);
  const gates = progress.stage(
    'gates',
    () =>
      runGates({
        settings,
        head,
        ...(base ? { base } : {}),
        ...(accessDiff ? { accessDiff } : {}),
        rego,
        ...(head.ungranted ? { ungranted: head.ungranted } : {}),
        ...(head.unusable ? { unusable: head.unusable } : {}),
        locate,
      }),
    (g) => `${g.results.filter((r) => r.status === 'failed').length} of ${g.results.length} failed`,
  );

  const diagnostics: Diagnostic[] = [...head.compile.diagnostics, ...gates.diagnostics];
  if (configDiff) diagnostics.push(...credentialChanges(configDiff), ...upstreamIdentityChanges(configDiff));
  if (options.secrets && head.ir) diagnostics.push(...unresolvedSecrets(head.ir, options.secrets, locate));
  const baseWarning = base && options.base ? baseNotCompiled(options.base, base.compile.diagnostics) : undefined;
  if (baseWarning) diagnostics.push(baseWarning);
  const tools = base?.lock ? compareLocks(base.lock, readLockAt(options.root).lock) : undefined;
  const headIr = head.ir;
  const liveSecret = options.live?.secret;
  const live = liveSecret && headIr ? await progress.stageAsync('live tools', () => liveDrift(headIr, options.root, liveSecret)) : undefined;
  if (live) diagnostics.push(...live.diagnostics);
  const sorted = sortDiagnostics(anchorToFiles(diagnostics, headTree, settings.source));
  return {
    format: REPORT_FORMAT,
    ...(options.base && baseCommit ? { base: { ref: options.base, commit: baseCommit } } : {}),
    summary: { errors: sorted.filter((d) => d.severity === 'error').length, warnings: sorted.filter((d) => d.severity === 'warning').length },
    gates: gates.results,
    diagnostics: sorted,
    highRisk: settings.highRisk,
    ...(accessDiff ? { access: accessDiff } : {}),
    ...(configDiff ? { config: configDiff } : {}),
    reviewers: accessDiff ? requiredReviewers(accessDiff, settings.highRisk) : [],
    ...(head.ir && head.compile.staticDecisions ? { decidedBy: decisionLayers(head.ir, head.compile.staticDecisions.decisions) } : {}),
    ...(tools && tools.length > 0 ? { tools } : {}),
    ...(live ? { drift: live.drift } : {}),
  };
}

/** Compiles a revision in memory and evaluates its bundle: the access matrix, and (head) access without grants. */
async function compileRevision(
  root: string,
  tree: SourceTree,
  options: { skipEnvoyValidate: boolean; probe: boolean },
  cache: CheckCache,
  progress: Progress,
): Promise<Compiled> {
  // The tool lock is compiled into the artifacts too, so it is part of what a compile is keyed by.
  const key = contentKey('compile', tree.files, `${String(options.skipEnvoyValidate)}:${String(options.probe)}`, readLockAt(root).text);
  // The head's tool calls are placed (RBAC or ext_authz) for the report; the base's are not needed.
  const compileOptions = { root, revision: CHECK_REVISION, skipEnvoyValidate: options.skipEnvoyValidate, placeToolCalls: options.probe };
  const result = await cache.memo(key, () => compile(compileOptions, progress));
  const policies = tree.files.filter((f) => f.kind === 'policy');
  const ir: Ir | undefined = result.ir;
  if (!result.bundle || !ir || hasErrors(result.diagnostics)) return { tree, compile: result, policies, ...(ir ? { ir } : {}) };
  const bundle = result.bundle;
  const evaluated = await cache.memo(`${key}:evaluate:${options.probe}`, async () => {
    const engine = await PolicyEngine.load(bundle);
    const matrix: AccessMatrix = computeAccessMatrix(engine, ir, matrixSubjects(ir));
    const ungranted = options.probe ? probeUngrantedAccess(await PolicyEngine.load(bundle, undefined, { data: withoutGrants }), ir) : undefined;
    const unusable = options.probe ? probeUnusableGrants(engine, ir, matrix) : undefined;
    return { matrix, ungranted, unusable };
  });
  progress.note(`access: ${evaluated.matrix.subjects.length} subjects evaluated`);
  return {
    tree, compile: result, policies, ir, matrix: evaluated.matrix,
    ...(evaluated.ungranted ? { ungranted: evaluated.ungranted } : {}),
    ...(evaluated.unusable ? { unusable: evaluated.unusable } : {}),
  };
}

/** Reads the base commit from git into a temporary folder, compiles it there, and removes the folder. */
async function readBase(root: string, commit: string, cache: CheckCache, progress: Progress): Promise<Compiled> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-base-'));
  try {
    await progress.stageAsync('read', () => extractRevision(root, commit, dir), () => commit.slice(0, 12));
    const tree = readTree(dir);
    const { lock } = readLockAt(dir);
    const compiled = await compileRevision(dir, tree, { skipEnvoyValidate: true, probe: false }, cache, progress);
    // The tree's root is the temporary folder, removed below: keep only the files' contents.
    return { ...compiled, tree: { ...tree, root }, lock };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The warning that the base revision does not compile, if its compile reported errors. */
function baseNotCompiled(ref: string, diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const [first] = errors;
  if (!first) return undefined;
  const where = first.location ? `${first.location.file}:${first.location.line}: ` : '';
  const count = `${errors.length} error${errors.length === 1 ? '' : 's'}`;
  return {
    code: 'base-not-compiled',
    severity: 'warning',
    message: `the base revision ${ref} does not compile (${count}, first: ${where}${first.message}), ` +
      'so there is no access diff and the gates that compare with it do not run',
    hint: 'Fix the base branch, or compare with another revision.',
  };
}

/** A Progress whose stage names start with a prefix (the base revision's stages run alongside the head's). */
function prefixed(progress: Progress, prefix: string): Progress {
  return {
    stage: (name, run, summary) => progress.stage(`${prefix}${name}`, run, summary),
    stageAsync: (name, run, summary) => progress.stageAsync(`${prefix}${name}`, run, summary),
    note: (line) => progress.note(`${prefix}${line}`),
  };
}
