// The whole pipeline: load and validate the registry, check the policies, emit xDS and policy data,
// build the Wasm bundle, check it (builtins, entrypoints) and the xDS (Envoy API, Envoy itself),
// then write every artifact at once. Nothing is written unless every step succeeded.
import type { KeyObject } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { buildManifest, jsonBytes, type ArtifactFile, type Manifest } from '../../../artifacts/src/manifest.ts';
import { refuseToReplace, writeArtifacts } from '../artifacts/write.ts';
import { opaBuild, opaCheck } from '../emit/policy/opa.ts';
import { buildPolicyData } from '../emit/policy/policy-data.ts';
import { checkConsistency } from '../../../artifacts/src/consistency.ts';
import { envoyValidate } from '../emit/xds/envoy-validate.ts';
import { checkAgainstEnvoyApi } from '../emit/xds/proto-check.ts';
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';
import { translateFleets } from '../emit/xds/translate.ts';
import type { Ir } from '../ir/types.ts';
import { unavailableBuiltins } from '../../../artifacts/src/policy/builtins.ts';
import { PolicyEngine, TOOLS_ENTRYPOINT } from '../../../artifacts/src/policy/engine.ts';
import { VERSION } from '../version.ts';
import { loadRegistry } from './load-registry.ts';
import type { Progress } from './progress.ts';
import { AUDIT_CATALOG_FILE, BUNDLE_FILE, fleetFile, MANIFEST_FILE } from '../../../artifacts/src/layout.ts';
import { buildAuditCatalog } from '../emit/audit/build-audit-catalog.ts';
import { signatureFile } from '../../../artifacts/src/signature.ts';

export interface CompileOptions {
  readonly root: string;
  /** Where to write; undefined compiles in memory only. */
  readonly out?: string;
  readonly revision: string;
  /** Skip `envoy --mode validate` (the Envoy API check still runs). */
  readonly skipEnvoyValidate?: boolean;
  /** Signs the manifest (manifest.sig) with this Ed25519 private key. */
  readonly signingKey?: KeyObject;
}

export interface CompileResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly ir?: Ir;
  readonly manifest?: Manifest;
  readonly files?: readonly ArtifactFile[];
  readonly bundle?: Buffer;
}


export async function compile(options: CompileOptions, progress: Progress): Promise<CompileResult> {
  const refusal = options.out ? refuseToReplace(options.out) : undefined;
  if (refusal) return { diagnostics: [{ code: 'output-folder', severity: 'error', message: refusal }] };

  const loaded = loadRegistry(options.root, progress);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const policyFiles = loaded.tree.files.filter((f) => f.kind === 'policy');
  diagnostics.push(...(await progress.stageAsync('rego check', () => opaCheck(policyFiles), (d) => `${policyFiles.length} files, ${d.length} problems`)));
  const stop = () => ({ diagnostics: sortDiagnostics(diagnostics), ...(loaded.ir ? { ir: loaded.ir } : {}) });
  if (hasErrors(diagnostics) || !loaded.ir) return stop();
  const ir = loaded.ir;

  const fleets = progress.stage('xds', () => translateFleets(ir), (f) => `${f.length} fleets`);
  diagnostics.push(...progress.stage('xds check', () => fleets.flatMap(checkFleet)));
  if (hasErrors(diagnostics)) return stop();

  const data = buildPolicyData(ir);
  const built = await progress.stageAsync('bundle', () => opaBuild(policyFiles, data, options.revision), (b) => (b.bundle ? `${b.bundle.length} bytes` : 'failed'));
  diagnostics.push(...built.diagnostics);
  if (!built.bundle) return stop();
  diagnostics.push(...(await progress.stageAsync('bundle check', () => checkBundle(built.bundle!, policyFiles))));
  if (hasErrors(diagnostics)) return stop();

  if (!options.skipEnvoyValidate) {
    for (const fleet of fleets) {
      const reason = await progress.stageAsync(`envoy validate ${fleet.fleet}`, () => envoyValidate(fleet), (r) => (r ? 'rejected' : 'accepted'));
      if (reason) {
        diagnostics.push({ code: 'envoy-rejected', severity: 'error', message: `Envoy rejects the configuration of fleet "${fleet.fleet}": ${reason}`, hint: 'This is a Gatehouse bug unless the registry uses a feature this Envoy lacks; please report it.' });
      }
    }
    if (hasErrors(diagnostics)) return stop();
  }

  const files: ArtifactFile[] = [
    { path: BUNDLE_FILE, bytes: built.bundle },
    ...fleets.map((f) => ({ path: fleetFile(f.fleet), bytes: jsonBytes(f) })),
    { path: AUDIT_CATALOG_FILE, bytes: jsonBytes(buildAuditCatalog(ir)) },
  ];
  const manifest = buildManifest(files, fleets.map((f) => f.fleet), options.revision, VERSION);
  const manifestBytes = jsonBytes(manifest);
  const all = [...files, { path: MANIFEST_FILE, bytes: manifestBytes }, ...(options.signingKey ? [signatureFile(manifestBytes, options.signingKey)] : [])];
  if (options.out) {
    const out = options.out;
    progress.stage('write', () => writeArtifacts(out, all), () => `${all.length} files to ${out}`);
  }
  return { diagnostics: sortDiagnostics(diagnostics), ir, manifest, files: all, bundle: built.bundle };
}

function checkFleet(fleet: FleetResources): Diagnostic[] {
  const problems = [...checkConsistency(fleet), ...checkAgainstEnvoyApi(fleet)];
  return problems.map((message) => ({
    code: 'xds-invalid',
    severity: 'error' as const,
    message: `fleet "${fleet.fleet}": ${message}`,
    hint: 'This is a Gatehouse bug: the emitted xDS does not match the Envoy API. Please report it.',
  }));
}

/** The bundle must load, evaluate, and need no host builtin that neither the SDK nor Gatehouse provides. */
async function checkBundle(bundle: Buffer, policyFiles: readonly { path: string; text?: string }[]): Promise<Diagnostic[]> {
  let engine: PolicyEngine;
  try {
    engine = await PolicyEngine.load(bundle);
  } catch (error) {
    return [{ code: 'bundle-invalid', severity: 'error', message: `the policy bundle does not load: ${error instanceof Error ? error.message : String(error)}` }];
  }
  const missing = unavailableBuiltins(engine.requiredHostBuiltins());
  const diagnostics: Diagnostic[] = missing.map((name) => ({
    code: 'wasm-builtin',
    severity: 'error',
    message: `the policy calls ${name}, which OPA's WebAssembly target does not implement`,
    ...locateCall(name, policyFiles),
    hint: 'Rewrite the rule without it (see docs/policy-contract.md for the builtins available in Wasm).',
  }));
  if (diagnostics.length > 0) return diagnostics;
  try {
    engine.evaluate(TOOLS_ENTRYPOINT, {});
  } catch (error) {
    diagnostics.push({ code: 'bundle-invalid', severity: 'error', message: error instanceof Error ? error.message : String(error) });
  }
  return diagnostics;
}

/** The first line of a non-test policy that calls `name(`, to point the diagnostic at it. */
function locateCall(name: string, files: readonly { path: string; text?: string }[]): { location?: { file: string; line: number; column: number } } {
  for (const file of files) {
    if (file.path.endsWith('_test.rego') || !file.text) continue;
    const lines = file.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const column = lines[i]!.indexOf(`${name}(`);
      if (column >= 0) return { location: { file: file.path, line: i + 1, column: column + 1 } };
    }
  }
  return {};
}
