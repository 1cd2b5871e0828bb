// The full data path for the gateway and policy benchmarks, each part in its own process so that
// its CPU can be measured: the control plane (ADS + ext_authz), the real Envoy 1.40, and the MCP
// SDK servers with the development identity provider. All bind 127.0.0.1 on free ports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, jsonBytes } from '../../artifacts/src/manifest.ts';
import { writeArtifacts } from '../../compiler/src/artifacts/write.ts';
import { hasErrors } from '../../compiler/src/diagnostics/diagnostic.ts';
import { formatDiagnostics } from '../../compiler/src/diagnostics/format.ts';
import type { FleetResources } from '../../artifacts/src/fleet-resources.ts';
import type { Ir } from '../../compiler/src/ir/types.ts';
import { compile } from '../../compiler/src/pipeline/compile.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { VERSION } from '../../compiler/src/version.ts';
import { envoyBootstrap } from '../../xds-server/src/bootstrap.ts';
import { envoyHasListener, startEnvoy, waitForEnvoy, type EnvoyProcess } from '../../demo/src/envoy-process.ts';
import { envoyAdminGet } from '../../demo/src/envoy-admin.ts';
import { ensureDemoSecrets } from '../../demo/src/secrets.ts';
import { freeExamplePorts, remapExamplePorts } from '../../testkit/example-ports.ts';
import { freePorts } from '../../testkit/ports.ts';
import { copyExampleRepo, tempDir } from '../../testkit/repo.ts';
import { asyncStep, sleep, startWorker, trackChild, type Worker } from './common.ts';
import { MANIFEST_FILE, fleetFile } from '../../artifacts/src/layout.ts';
import { CONTROL_PLANE_CLUSTER } from '../../artifacts/src/metadata-names.ts';

/** The cluster the policy benchmark points ext_authz at (the access logs stay on the control plane). */
export const BENCH_AUTHZ_CLUSTER = 'bench-ext-authz';

export interface BenchStack {
  readonly ir: Ir;
  readonly root: string;
  readonly artifactsDir: string;
  readonly gatewayUrl: string;
  readonly backendUrls: Readonly<Record<string, string>>;
  readonly ports: { readonly authz: number; readonly xds: number; readonly admin: number; readonly envoyAdmin: number };
  readonly controlPlane: Worker;
  readonly backends: Worker;
  readonly envoy: EnvoyProcess;
  readonly secrets: ReadonlyMap<string, string>;
  /** A token for a member of `team` (member names one caller: each gets its own subject and token). */
  token(team: string, member?: string): Promise<string>;
  /** How long each tools/call waits in the MCP servers before it is answered (a tool's own latency). */
  setToolLatency(ms: number): Promise<void>;
  /** Sends ext_authz to 127.0.0.1:port (through the artifacts and ADS, as any change would go). */
  retargetExtAuthz(port: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Extra arguments for the control plane's Node process (e.g. --cpu-prof). */
  readonly controlPlaneExecArgv?: readonly string[];
  readonly controlPlaneEnv?: NodeJS.ProcessEnv;
  /**
   * Route ext_authz through BENCH_AUTHZ_CLUSTER (pointing at the control plane) from the start, so
   * that retargetExtAuthz later changes only that cluster: Envoy keeps open connections on the
   * filter chain they started with, so the listener itself must not change under load.
   */
  readonly retargetableAuthz?: boolean;
  /**
   * Compile the gateway with `authz.staticDecisions: rbac` (tool calls decided at compile time go to
   * Envoy's RBAC, docs/decisions.md), as a deployment that wants line rate would. Off, ext_authz
   * decides every call (the policy benchmark compares ext_authz services).
   */
  readonly staticDecisions?: boolean;
}

export async function startBenchStack(options: StackOptions = {}): Promise<BenchStack> {
  const work = tempDir('gatehouse-bench-');
  const example = await freeExamplePorts();
  const gateway = example.gateway;
  const [xds, authz, admin, envoyAdmin] = (await freePorts(4)) as [number, number, number, number];
  // One token drives hundreds of calls a second: the per-caller limits are raised out of the way (they would measure 429s).
  const decisions = (text: string) => (options.staticDecisions ? text.replace(/^( {2}authz:\n)/m, '$1    staticDecisions: rbac\n') : text);
  const unlimited = (path: string, text: string) =>
    path.endsWith('gateways/local.yaml') ? `${decisions(text)}  limits: { callsPerSecond: 100000, burst: 100000, sessions: 100000, streams: 100000 }\n` : text;
  const root = copyExampleRepo(join(work.path, 'repo'), {}, (path, text) => unlimited(path, remapExamplePorts(text, example)));
  const artifactsDir = join(work.path, 'dist');
  const secretsDir = join(work.path, 'secrets');
  const compiled = await compile({ root, out: artifactsDir, revision: 'bench', skipEnvoyValidate: true }, SILENT);
  if (hasErrors(compiled.diagnostics) || !compiled.ir) {
    throw new Error(`the bench registry does not compile:\n${formatDiagnostics(compiled.diagnostics, 'text')}`);
  }
  const ir = compiled.ir;
  const secrets = ensureDemoSecrets(ir, secretsDir);

  const cleanup: (() => Promise<void>)[] = [asyncStep(() => work.remove())];
  const stop = async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const backends = startWorker('lib/backends-main.ts', [root, secretsDir]);
    cleanup.push(() => backends.stop());
    const { servers } = await backends.waitFor<{ servers: Record<string, string> }>((m) => m.ready === true);
    const controlPlane = startWorker(
      'lib/control-plane-main.ts',
      [JSON.stringify({ artifactsDir, secretsDir, ports: { xds, authz, admin } })],
      {
        ...(options.controlPlaneExecArgv ? { execArgv: options.controlPlaneExecArgv } : {}),
        ...(options.controlPlaneEnv ? { env: options.controlPlaneEnv } : {}),
      },
    );
    cleanup.push(() => controlPlane.stop());
    await controlPlane.waitFor((m) => m.ready === true);
    const envoy = startEnvoy({
      bootstrap: envoyBootstrap({ nodeId: 'gatehouse-bench', fleet: 'default', xdsHost: '127.0.0.1', xdsPort: xds, admin: { port: envoyAdmin } }),
      admin: { port: envoyAdmin },
      workDir: work.path,
      logLevel: 'warn',
    });
    trackChild(envoy.child);
    cleanup.push(() => envoy.stop());
    const listeners = ir.gateways.map((g) => `gatehouse-gateway-${g.name}`);
    await waitForEnvoy(envoy, 30_000, async () => (await Promise.all(listeners.map((l) => envoyHasListener(envoy.admin, l)))).every(Boolean));

    const retargetExtAuthz = async (port: number) => {
      rewriteExtAuthzTarget(artifactsDir, port);
      await controlPlane.call({ cmd: 'reload' });
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const clusters = (await envoyAdminGet(envoy.admin, '/clusters')).body;
        const listeners = (await envoyAdminGet(envoy.admin, '/config_dump?resource=dynamic_listeners')).body;
        if (clusters.includes(`${BENCH_AUTHZ_CLUSTER}::127.0.0.1:${port}::health_flags::healthy`) && listeners.includes(`"${BENCH_AUTHZ_CLUSTER}"`)) return;
        await sleep(100);
      }
      throw new Error(`Envoy did not take ext_authz at port ${port} within 20 s`);
    };
    if (options.retargetableAuthz) await retargetExtAuthz(authz);

    return {
      ir,
      root,
      artifactsDir,
      gatewayUrl: `http://127.0.0.1:${gateway}`,
      backendUrls: servers,
      ports: { authz, xds, admin, envoyAdmin },
      controlPlane,
      backends,
      envoy,
      secrets,
      token: async (team, member) => (await backends.call<{ token: string }>({ cmd: 'token', team, ...(member ? { member } : {}) })).token,
      setToolLatency: async (ms) => {
        await backends.call({ cmd: 'delay', ms });
      },
      retargetExtAuthz,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Rewrites the served artifacts so that the ext_authz filter calls BENCH_AUTHZ_CLUSTER, a static
 * HTTP/2 cluster at 127.0.0.1:port; everything else (access logs included) stays as compiled.
 */
function rewriteExtAuthzTarget(artifactsDir: string, port: number): void {
  const manifestText = readFileSync(join(artifactsDir, MANIFEST_FILE), 'utf8');
  const manifest = JSON.parse(manifestText) as { fleets: string[]; sourceRevision: string; files: Record<string, unknown> };
  const fleetFiles = new Set(manifest.fleets.map(fleetFile));
  // Every other artifact is kept byte for byte.
  const files = Object.keys(manifest.files)
    .filter((path) => !fleetFiles.has(path))
    .map((path): { path: string; bytes: Uint8Array } => ({ path, bytes: readFileSync(join(artifactsDir, path)) }));
  for (const fleetName of manifest.fleets) {
    const fleet = JSON.parse(readFileSync(join(artifactsDir, fleetFile(fleetName)), 'utf8')) as FleetResources & { clusters: Record<string, unknown>[] };
    const controlPlaneCluster = fleet.clusters.find((c) => c.name === CONTROL_PLANE_CLUSTER)!;
    const benchCluster = {
      ...controlPlaneCluster,
      name: BENCH_AUTHZ_CLUSTER,
      type: 'STATIC',
      eds_cluster_config: undefined,
      // One static endpoint, the service under test (which may not answer gRPC health checks).
      health_checks: undefined,
      load_assignment: {
        cluster_name: BENCH_AUTHZ_CLUSTER,
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: port } } } }] }],
      },
    };
    const clusters = [...fleet.clusters.filter((c) => c.name !== BENCH_AUTHZ_CLUSTER), JSON.parse(JSON.stringify(benchCluster)) as Record<string, unknown>];
    const isExtAuthz = (value: unknown) =>
      typeof value === 'object' && value !== null && String((value as Record<string, unknown>)['@type']).endsWith('ext_authz.v3.ExtAuthz');
    const listeners = JSON.parse(JSON.stringify(fleet.listeners), (key, value: unknown) => {
      if (key === 'typed_config' && isExtAuthz(value)) {
        const config = value as { grpc_service: { envoy_grpc: { cluster_name: string } } };
        config.grpc_service.envoy_grpc.cluster_name = BENCH_AUTHZ_CLUSTER;
      }
      return value;
    }) as unknown[];
    files.push({ path: fleetFile(fleetName), bytes: jsonBytes({ ...fleet, clusters, listeners }) });
  }
  const newManifest = buildManifest(files, manifest.fleets, manifest.sourceRevision, VERSION);
  writeArtifacts(artifactsDir, [...files, { path: MANIFEST_FILE, bytes: jsonBytes(newManifest) }]);
}
