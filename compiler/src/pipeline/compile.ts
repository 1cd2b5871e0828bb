// The whole pipeline, as a table of stages: load and validate the registry, check the policies, emit xDS
// and policy data, build the Wasm bundle, check it (builtins, entrypoints) and the xDS (Envoy API, Envoy
// itself), then write every artifact at once. Nothing is written unless every stage before succeeded.
import type { KeyObject } from 'node:crypto';
import type { Diagnostic, Staged } from '../diagnostics/diagnostic.ts';
import { buildManifest, jsonBytes, type ArtifactFile, type Manifest } from '../../../artifacts/src/manifest.ts';
import { refuseToReplace, writeArtifacts } from '../artifacts/write.ts';
import { opaBuild, opaCheck } from '../emit/policy/opa.ts';
import { buildPolicyData } from '../emit/policy/policy-data.ts';
import { envoyValidate } from '../emit/xds/envoy-validate.ts';
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';
import { translateFleets } from '../emit/xds/translate.ts';
import type { PlacedDecisions } from '../emit/rbac/rbac-filter.ts';
import { placeToolCalls, staticDecisionError } from '../partial/placements.ts';
import type { Ir } from '../ir/types.ts';
import { readReferencedFile, type SourceFile, type SourceTree } from '../source/read-tree.ts';
import { VERSION } from '../version.ts';
import { AUDIT_CATALOG_FILE, BUNDLE_FILE, fleetFile, GUARDRAILS_FILE, MANIFEST_FILE } from '../../../artifacts/src/layout.ts';
import { buildAuditCatalog } from '../emit/audit/build-audit-catalog.ts';
import { buildGuardrailSet } from '../emit/guardrails/build-guardrail-set.ts';
import { signatureFile } from '../../../artifacts/src/signature.ts';
import { checkBundle } from './check-bundle.ts';
import { checkFleet, envoyRejection } from './check-fleet.ts';
import type { Progress } from './progress.ts';
import { BUILD_IR, OPENAPI, PARSE, READ, RESOLVE, VALIDATE, type RegistryInput } from './registry-stages.ts';
import { runStages } from './run-stages.ts';
import { StageTable } from './stages.ts';
import { TOOL_PINS_FILE, UPSTREAM_IDENTITIES_FILE } from '../../../artifacts/src/layout.ts';
import { buildIdentityTable } from '../emit/upstream-identity/build-identity-table.ts';
import { buildPinTable, pinningEnforced } from '../tool-lock/build-pin-table.ts';
import { readToolLock } from '../tool-lock/read-tool-lock.ts';
import type { ToolLock } from '../tool-lock/lock-file.ts';

export interface CompileOptions {
  readonly root: string;
  /** Where to write; undefined compiles in memory only. */
  readonly out?: string;
  readonly revision: string;
  /** Skip `envoy --mode validate` (the Envoy API check still runs). */
  readonly skipEnvoyValidate?: boolean;
  /** Signs the manifest (manifest.sig) with this Ed25519 private key. */
  readonly signingKey?: KeyObject;
  /** Place every tool call on RBAC or ext_authz even when no gateway decides in RBAC (for the access report). */
  readonly placeToolCalls?: boolean;
}

export interface CompileResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly ir?: Ir;
  readonly manifest?: Manifest;
  readonly files?: readonly ArtifactFile[];
  readonly bundle?: Buffer;
  /** Where each tool call is decided (when a gateway decides in RBAC, or placeToolCalls asked for it). */
  readonly staticDecisions?: PlacedDecisions;
}

type CompileInput = RegistryInput & {
  readonly revision: string;
  readonly out?: string;
  readonly skipEnvoyValidate: boolean;
  readonly signingKey?: KeyObject;
  readonly placeToolCalls: boolean;
};

/**
 * The stages in order. A stage that yields nothing ends the run (registry-stages.ts says when); one that
 * stops on error ends it when any stage so far reported an error. The policies are checked right after
 * reading, so that their problems are reported together with the registry's.
 */
export const COMPILE_STAGES = StageTable.start<CompileInput>()
  .then(READ)
  .then({ name: 'rego check', stopsOnError: false, run: checkPolicies, summary: policiesChecked })
  .then(PARSE)
  .then(VALIDATE)
  .then(OPENAPI)
  .then(RESOLVE)
  .then(BUILD_IR)
  .then({ name: 'tool lock', stopsOnError: true, run: readToolLock, summary: (r) => `${Object.keys(r.value?.lock.servers ?? {}).length} servers` })
  .then({ name: 'static decisions', stopsOnError: true, run: decideStatically, summary: staticDecisionsSummary })
  .then({ name: 'xds', stopsOnError: false, run: emitXds, summary: (r) => `${r.value?.fleets.length ?? 0} fleets` })
  .then({ name: 'xds check', stopsOnError: true, run: checkXds })
  .then({ name: 'bundle', stopsOnError: false, run: buildBundle, summary: (r) => (r.value ? `${r.value.bundle.length} bytes` : 'failed') })
  .then({ name: 'bundle check', stopsOnError: true, run: checkBuiltBundle })
  .thenEach({
    name: (fleet: FleetResources) => `envoy validate ${fleet.fleet}`,
    stopsOnError: true,
    items: ({ fleets, skipEnvoyValidate }) => (skipEnvoyValidate ? [] : fleets),
    run: async (fleet) => envoyRejection(fleet.fleet, await envoyValidate(fleet)),
    summary: (diagnostics) => (diagnostics.length > 0 ? 'rejected' : 'accepted'),
  })
  .then({ name: 'manifest', stopsOnError: false, run: assembleArtifacts, summary: (r) => `${r.value?.files.length ?? 0} files` })
  .thenEach({
    name: () => 'write',
    stopsOnError: true,
    items: ({ out, files }) => (out === undefined ? [] : [{ out, files }]),
    run: ({ out, files }) => {
      writeArtifacts(out, files);
      return [];
    },
    summary: (_diagnostics, { out, files }) => `${files.length} files to ${out}`,
  });

export async function compile(options: CompileOptions, progress: Progress): Promise<CompileResult> {
  const refusal = options.out ? refuseToReplace(options.out) : undefined;
  if (refusal) return { diagnostics: [{ code: 'output-folder', severity: 'error', message: refusal }] };

  const input: CompileInput = {
    root: options.root,
    readReferenced: (path) => readReferencedFile(options.root, path),
    revision: options.revision,
    skipEnvoyValidate: options.skipEnvoyValidate ?? false,
    placeToolCalls: options.placeToolCalls ?? false,
    ...(options.out ? { out: options.out } : {}),
    ...(options.signingKey ? { signingKey: options.signingKey } : {}),
  };
  const { diagnostics, value, reached } = await runStages(COMPILE_STAGES, input, progress);
  if (!value) return { diagnostics, ...(reached.ir ? { ir: reached.ir } : {}) };
  const placed = value.staticDecisions ? { staticDecisions: value.staticDecisions } : {};
  return { diagnostics, ir: value.ir, manifest: value.manifest, files: value.files, bundle: value.bundle, ...placed };
}

/** [impure: runs opa] `opa check --strict` over every policy file. */
async function checkPolicies({ tree }: { tree: SourceTree }): Promise<Staged<{ policyFiles: readonly SourceFile[] }>> {
  const policyFiles = tree.files.filter((f) => f.kind === 'policy');
  return { value: { policyFiles }, diagnostics: await opaCheck(policyFiles) };
}

/** [impure: runs opa] The Wasm bundle of the policies with the registry's policy data; none if OPA fails. */
async function buildBundle(state: { ir: Ir; policyFiles: readonly SourceFile[]; revision: string }): Promise<Staged<{ bundle: Buffer }>> {
  const built = await opaBuild(state.policyFiles, buildPolicyData(state.ir), state.revision);
  return { value: built.bundle ? { bundle: built.bundle } : undefined, diagnostics: built.diagnostics };
}

function policiesChecked({ value, diagnostics }: Staged<{ policyFiles: readonly SourceFile[] }>): string {
  return `${value?.policyFiles.length ?? 0} files, ${diagnostics.length} problems`;
}

function emitXds({ ir, staticDecisions }: { ir: Ir; staticDecisions?: PlacedDecisions }): Staged<{ fleets: readonly FleetResources[] }> {
  return { value: { fleets: translateFleets(ir, staticDecisions) }, diagnostics: [] };
}

/** [impure: runs opa] Where each tool call is decided, when a gateway decides tool calls in RBAC (compiler/src/partial/). */
async function decideStatically(state: {
  ir: Ir;
  policyFiles: readonly SourceFile[];
  placeToolCalls: boolean;
  lock: ToolLock;
}): Promise<Staged<{ staticDecisions?: PlacedDecisions }>> {
  if (!state.placeToolCalls && !state.ir.gateways.some((g) => g.staticDecisions === 'rbac')) return { value: {}, diagnostics: [] };
  const data = buildPolicyData(state.ir);
  const pinned = new Set(state.ir.servers.filter((s) => pinningEnforced(s, state.lock)).map((s) => s.name));
  const identities = new Set(state.ir.servers.filter((s) => s.identity).map((s) => s.name));
  const { decisions, errors } = await placeToolCalls(state.policyFiles, data, pinned, identities);
  return { value: { staticDecisions: { data, decisions } }, diagnostics: errors.map(staticDecisionError) };
}

function staticDecisionsSummary({ value }: Staged<{ staticDecisions?: PlacedDecisions }>): string {
  const placements = value?.staticDecisions?.decisions.placements;
  if (!placements) return 'off';
  const inRbac = placements.filter((p) => p.layer === 'rbac').length;
  return `${String(inRbac)} tools in RBAC, ${String(placements.length - inRbac)} in ext_authz`;
}

function checkXds({ fleets }: { fleets: readonly FleetResources[] }): Staged<object> {
  return { value: {}, diagnostics: fleets.flatMap(checkFleet) };
}

async function checkBuiltBundle({ bundle, policyFiles }: { bundle: Buffer; policyFiles: readonly SourceFile[] }): Promise<Staged<object>> {
  return { value: {}, diagnostics: await checkBundle(bundle, policyFiles) };
}

interface Artifacts {
  readonly manifest: Manifest;
  /** Every file to write, the manifest (and its signature) last. */
  readonly files: readonly ArtifactFile[];
}

/** Every artifact file, and the manifest that lists them. */
function assembleArtifacts(state: {
  ir: Ir;
  fleets: readonly FleetResources[];
  bundle: Buffer;
  lock: ToolLock;
  revision: string;
  signingKey?: KeyObject;
}): Staged<Artifacts> {
  const files: ArtifactFile[] = [
    { path: BUNDLE_FILE, bytes: state.bundle },
    ...state.fleets.map((f) => ({ path: fleetFile(f.fleet), bytes: jsonBytes(f) })),
    { path: AUDIT_CATALOG_FILE, bytes: jsonBytes(buildAuditCatalog(state.ir)) },
    // Only a registry with guardrails has the file: the control plane reads its absence as none.
    ...(state.ir.guardrails.length > 0 ? [{ path: GUARDRAILS_FILE, bytes: jsonBytes(buildGuardrailSet(state.ir)) }] : []),
    { path: TOOL_PINS_FILE, bytes: jsonBytes(buildPinTable(state.ir, state.lock)) },
    // Only a registry with upstream identities has the file: the control plane reads its absence as none.
    ...(state.ir.servers.some((s) => s.identity) ? [{ path: UPSTREAM_IDENTITIES_FILE, bytes: jsonBytes(buildIdentityTable(state.ir)) }] : []),
  ];
  const manifest = buildManifest(files, state.fleets.map((f) => f.fleet), state.revision, VERSION);
  const manifestBytes = jsonBytes(manifest);
  const signature = state.signingKey ? [signatureFile(manifestBytes, state.signingKey)] : [];
  return { value: { manifest, files: [...files, { path: MANIFEST_FILE, bytes: manifestBytes }, ...signature] }, diagnostics: [] };
}
