// [impure] Loads a compiled artifact folder, checks it end to end (manifest format, every file's
// content hash, the policy bundle, each fleet's xDS) and turns it into what the control plane
// serves. Any problem rejects the whole set: the caller keeps serving its last good one. With
// trusted keys, the manifest's signature is checked first (check-signature.ts).
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FORMAT, sha256, type Manifest } from '../../../artifacts/src/manifest.ts';
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';
import { PolicyEngine, readBundle } from '../../../artifacts/src/policy/engine.ts';
import { buildSnapshot, type ControlPlaneAddress } from '../snapshot/build-snapshot.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { failClosedWithoutCredentials, type MissingCredential } from './missing-credentials.ts';
import { resolveSecrets, secretEnvName } from './secrets.ts';
import { MANIFEST_FILE, AUDIT_CATALOG_FILE, BUNDLE_FILE, fleetFile, GUARDRAILS_FILE } from '../../../artifacts/src/layout.ts';
import { isAuditCatalog, type AuditCatalog } from '../../../artifacts/src/audit-catalog.ts';
import { ArtifactError } from './artifact-error.ts';
import { EMPTY_GUARDRAIL_SET, isGuardrailSet, type GuardrailSet } from '../../../artifacts/src/guardrails/guardrail-set.ts';
import { checkSignature } from './check-signature.ts';
import { TOOL_PINS_FILE, UPSTREAM_IDENTITIES_FILE } from '../../../artifacts/src/layout.ts';
import { EMPTY_IDENTITY_TABLE, isUpstreamIdentityTable, type UpstreamIdentityTable } from '../../../artifacts/src/upstream-identity/identity-table.ts';
import { EMPTY_PIN_TABLE, isToolPinTable, type ToolPinTable } from '../../../artifacts/src/tool-pins/pin-table.ts';
import { catalogSourceOf, type CatalogSource } from '../catalog/catalog-source.ts';

export { ArtifactError } from './artifact-error.ts';

/** A set whose manifest, signature, hashes, bundle and files all checked out: everything but its credentials. */
export interface VerifiedArtifacts {
  readonly version: string;
  readonly sourceRevision: string;
  readonly engine: PolicyEngine;
  /** Each fleet's compiled resources, as the set carries them (credentials are resolved from these). */
  readonly fleets: readonly FleetResources[];
  /** What the audit log, cost attribution and metrics need from the registry. */
  readonly audit: AuditCatalog;
  /** The guardrails on tool calls (none when the set has no guardrails file). */
  readonly guardrails: GuardrailSet;
  /** The pinned tool definitions the gateway enforces (empty in sets compiled before tool pinning). */
  readonly pins: ToolPinTable;
  /** Servers whose upstream token the control plane fetches (empty in sets without upstream identities). */
  readonly identityTable: UpstreamIdentityTable;
  /** The raw manifest text, to notice changes cheaply. */
  readonly manifestText: string;
  /** The key id of the trusted key that signed the set (absent when no keys are trusted). */
  readonly signedBy?: string;
  /** The policy bundle's data.json: with the fleets, what the MCP Registry API lists (registry-api/). */
  readonly bundleData: unknown;
  /** What the catalog page shows of the set: the registry the policy carries, where virtual servers are served. */
  readonly catalogSource: CatalogSource;
}

/** A verified set with its credentials resolved: what the control plane serves. */
export interface LoadedArtifacts extends VerifiedArtifacts {
  readonly snapshots: ReadonlyMap<string, Snapshot>;
  /** Credentials that did not resolve: their servers fail closed, the rest of the fleet serves. */
  readonly missingCredentials: readonly MissingCredential[];
  /** The identity table with the client secrets that resolved (by secretRef; a missing one fails its server's calls closed). */
  readonly identities: { readonly table: UpstreamIdentityTable; readonly clientSecrets: ReadonlyMap<string, string> };
}

export interface LoadOptions {
  readonly dir: string;
  readonly controlPlane: ControlPlaneAddress;
  readonly secretsDir?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Public keys a set must be signed by (any one of them); absent: sets are not verified. */
  readonly trustedKeys?: readonly KeyObject[];
  /** The key that verifies the session ids the control plane signs (JWKS), put into every listener's jwt_authn; absent: none verifies. */
  readonly sessionJwks?: string;
}

export function readManifestText(dir: string): string {
  try {
    return readFileSync(join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    throw new ArtifactError(`cannot read ${join(dir, MANIFEST_FILE)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** A manifest as read from disk: it may lack what a well-formed one has. */
type ReadManifest = Omit<Manifest, 'files' | 'fleets'> & Partial<Pick<Manifest, 'files' | 'fleets'>>;

export async function loadArtifacts(options: LoadOptions, manifestText = readManifestText(options.dir)): Promise<LoadedArtifacts> {
  return resolveCredentials(await verifyArtifacts(options, manifestText), options);
}

/** Reads and checks a set end to end; throws ArtifactError to refuse it. */
export async function verifyArtifacts(options: LoadOptions, manifestText: string): Promise<VerifiedArtifacts> {
  const signedBy = options.trustedKeys ? checkSignature(options.dir, manifestText, options.trustedKeys) : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifestText);
  } catch {
    throw new ArtifactError(`${MANIFEST_FILE} is not valid JSON`);
  }
  const format = (parsed as { format?: unknown } | null)?.format;
  if (format !== MANIFEST_FORMAT) {
    throw new ArtifactError(`${MANIFEST_FILE} has format ${format === undefined ? 'none' : JSON.stringify(format)}, expected ${MANIFEST_FORMAT}`);
  }
  const manifest = parsed as ReadManifest;
  const read = (path: string): Buffer => {
    const entry = manifest.files?.[path];
    if (!entry) throw new ArtifactError(`${MANIFEST_FILE} does not list ${path}`);
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(options.dir, path));
    } catch (error) {
      throw new ArtifactError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    if (sha256(bytes) !== entry.sha256) {
      throw new ArtifactError(`${path} does not match its hash in ${MANIFEST_FILE} (modified or partly written)`, 'hash-mismatch');
    }
    return bytes;
  };

  let engine: PolicyEngine;
  let bundleData: unknown;
  try {
    const bundle = read(BUNDLE_FILE);
    engine = await PolicyEngine.load(bundle);
    bundleData = readBundle(bundle).data;
  } catch (error) {
    if (error instanceof ArtifactError) throw error;
    throw new ArtifactError(`the policy bundle does not load: ${error instanceof Error ? error.message : String(error)}`);
  }
  const fleets: FleetResources[] = (manifest.fleets ?? []).map((fleet) => {
    try {
      return JSON.parse(read(fleetFile(fleet)).toString('utf8')) as FleetResources;
    } catch (error) {
      if (error instanceof ArtifactError) throw error;
      throw new ArtifactError(`${fleetFile(fleet)} is not valid JSON`);
    }
  });
  let audit: unknown;
  try {
    audit = JSON.parse(read(AUDIT_CATALOG_FILE).toString('utf8'));
  } catch (error) {
    if (error instanceof ArtifactError) throw error;
    throw new ArtifactError(`${AUDIT_CATALOG_FILE} is not valid JSON`);
  }
  if (!isAuditCatalog(audit)) throw new ArtifactError(`${AUDIT_CATALOG_FILE} is not an audit catalog`);
  const guardrails = manifest.files?.[GUARDRAILS_FILE] ? parseGuardrails(read(GUARDRAILS_FILE)) : EMPTY_GUARDRAIL_SET;
  let pins: unknown = EMPTY_PIN_TABLE;
  if (manifest.files?.[TOOL_PINS_FILE]) {
    try {
      pins = JSON.parse(read(TOOL_PINS_FILE).toString('utf8'));
    } catch (error) {
      if (error instanceof ArtifactError) throw error;
      throw new ArtifactError(`${TOOL_PINS_FILE} is not valid JSON`);
    }
  }
  if (!isToolPinTable(pins)) throw new ArtifactError(`${TOOL_PINS_FILE} is not a tool pin table`);
  const identityTable = manifest.files?.[UPSTREAM_IDENTITIES_FILE] ? parseIdentities(read(UPSTREAM_IDENTITIES_FILE)) : EMPTY_IDENTITY_TABLE;
  return {
    version: manifest.version,
    sourceRevision: manifest.sourceRevision,
    engine,
    fleets,
    audit,
    guardrails,
    pins,
    identityTable,
    manifestText,
    ...(signedBy ? { signedBy } : {}),
    bundleData,
    catalogSource: catalogSourceOf(bundleData, fleets),
  };
}

/**
 * Resolves a verified set's credentials and builds each fleet's snapshot. A missing credential closes its server only; the rest
 * of the fleet keeps serving. Run again on the same set when a secret may have appeared, with no need to fetch or verify it again.
 */
export function resolveCredentials(set: VerifiedArtifacts, options: Pick<LoadOptions, 'controlPlane' | 'secretsDir' | 'env' | 'sessionJwks'>): LoadedArtifacts {
  const refs = set.fleets.flatMap((f) => f.secrets.map((s) => s.secretRef));
  const secrets = resolveSecrets(refs, options.secretsDir, options.env);
  const provide = (ref: string) => `${options.secretsDir ? `file ${join(options.secretsDir, ref)} or ` : ''}$${secretEnvName(ref)}`;
  const missingCredentials: MissingCredential[] = [];
  const snapshots = new Map<string, Snapshot>();
  for (const compiled of set.fleets) {
    const { fleet, missing } = failClosedWithoutCredentials(compiled, secrets, provide);
    missingCredentials.push(...missing);
    try {
      snapshots.set(fleet.fleet, buildSnapshot(fleet, set.version, options.controlPlane, secrets, options.sessionJwks));
    } catch (error) {
      throw new ArtifactError(error instanceof Error ? error.message : String(error));
    }
  }
  const clientSecrets = resolveSecrets(Object.values(set.identityTable.servers).map((s) => s.clientSecretRef), options.secretsDir, options.env);
  return { ...set, snapshots, missingCredentials, identities: { table: set.identityTable, clientSecrets } };
}

function parseGuardrails(bytes: Buffer): GuardrailSet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ArtifactError(`${GUARDRAILS_FILE} is not valid JSON`);
  }
  if (!isGuardrailSet(parsed)) throw new ArtifactError(`${GUARDRAILS_FILE} is not a guardrail set`);
  return parsed;
}

function parseIdentities(bytes: Buffer): UpstreamIdentityTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ArtifactError(`${UPSTREAM_IDENTITIES_FILE} is not valid JSON`);
  }
  if (!isUpstreamIdentityTable(parsed)) throw new ArtifactError(`${UPSTREAM_IDENTITIES_FILE} is not an upstream identity table`);
  return parsed;
}
