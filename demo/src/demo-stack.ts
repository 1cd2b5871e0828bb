// [impure] The whole demo stack on one machine: compiled artifacts, the control plane, one Envoy
// per fleet, the example MCP servers and the development identity provider. `gatehouse up` and the
// end-to-end tests both run it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resourceUrl, type Ir } from '../../compiler/src/ir/types.ts';
import { names } from '../../compiler/src/emit/xds/names.ts';
import { compile } from '../../compiler/src/pipeline/compile.ts';
import { hasErrors } from '../../compiler/src/diagnostics/diagnostic.ts';
import { formatDiagnostics } from '../../compiler/src/diagnostics/format.ts';
import type { Progress } from '../../compiler/src/pipeline/progress.ts';
import { envoyBootstrap } from '../../xds-server/src/bootstrap.ts';
import type { XdsProtocol } from '../../xds-server/src/xds-protocol.ts';
import { ControlPlane, type ListeningPorts } from '../../xds-server/src/control-plane.ts';
import type { Logger } from '../../xds-server/src/log.ts';
import type { AccessLogEntry } from '../../xds-server/src/accesslog/access-log-service.ts';
import { DEMO_IMPLEMENTATIONS, startDemoBackends, type DemoBackends } from './demo-backends.ts';
import { envoyHasListener, startEnvoy, waitForEnvoy, type EnvoyProcess } from './envoy-process.ts';
import { teamMember } from './identity/directory.ts';
import { ensureDemoSecrets } from './secrets.ts';
import { compileInChildProcess, type RecompileResult } from './compile-process.ts';
import { EnvoyRejectedListenerError, PortTakenError, registryPorts, takenPorts, type WantedPort } from './port-check.ts';
import { openDevPki, type DevPki } from './dev-pki.ts';
import { envoySdsFiles, type EnvoyTlsOptions } from '../../xds-server/src/tls/envoy-tls.ts';
import type { ServerTlsOptions } from '../../xds-server/src/tls/tls-files.ts';

/** The `gatehouse up` flag that sets each control-plane port (named in the error for a taken port). */
export const STACK_PORT_FLAGS = { xds: '--xds-port', authz: '--authz-port', admin: '--admin-port' } as const;

export interface StackOptions {
  readonly root: string;
  /** Working folder for artifacts, secrets and Envoy files (`.gatehouse` in the demo). */
  readonly stateDir: string;
  readonly ports: { readonly xds: number; readonly authz: number; readonly admin: number };
  readonly logger: Logger;
  readonly progress: Progress;
  readonly envoyLogLevel?: string;
  readonly onAccessLog?: (entries: readonly AccessLogEntry[]) => void;
  /** Plaintext between Envoy and the control plane instead of mutual TLS (local experiments; logged as a warning). */
  readonly plaintext?: boolean;
  /** The ADS protocol the Envoys speak (delta unless asked otherwise). */
  readonly xdsProtocol?: XdsProtocol;
  /** The bearer token the admin endpoint (/status, /metrics, /catalog) requires; absent: open on loopback. */
  readonly adminToken?: string;
}

export interface DemoStack {
  readonly ir: Ir;
  readonly artifactsDir: string;
  /** The audit log's folder (`<stateDir>/audit`): one `<gateway>-<index>.jsonl` stream per gateway. */
  readonly auditDir: string;
  readonly controlPlane: ControlPlane;
  readonly ports: ListeningPorts;
  readonly envoys: ReadonlyMap<string, EnvoyProcess>;
  readonly backends: DemoBackends;
  /** The development PKI (`<stateDir>/tls`) and the control plane's TLS options; absent in plaintext. */
  readonly pki?: DevPki;
  readonly tls?: ServerTlsOptions;
  /** `http://…/mcp/<vs>` on the first gateway serving it. */
  endpoint(virtualServer: string): string;
  /** A token for a member of a team, valid for every virtual server of the first gateway. */
  tokenFor(team: string, extra?: { sub?: string; expiresIn?: number }): Promise<string | undefined>;
  /** Recompiles the registry into the served artifact folder; returns the diagnostics text on failure. */
  recompile(): Promise<RecompileResult>;
  stop(): Promise<void>;
}

export async function startDemoStack(options: StackOptions): Promise<DemoStack> {
  const artifactsDir = join(options.stateDir, 'dist');
  const auditDir = join(options.stateDir, 'audit');
  const secretsDir = join(options.stateDir, 'secrets');
  mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  // The first compile runs here, before anything serves (its IR says what to start); later ones in a child process.
  const first = await compile({ root: options.root, out: artifactsDir, revision: 'local' }, options.progress);
  if (hasErrors(first.diagnostics) || !first.ir) throw new Error(`the registry does not compile:\n${formatDiagnostics(first.diagnostics, 'text')}`);
  const ir = first.ir;
  const secrets = ensureDemoSecrets(ir, secretsDir);
  const controlPlanePorts = (['xds', 'authz', 'admin'] as const).map(
    (k): WantedPort => ({ port: options.ports[k], host: '127.0.0.1', setBy: STACK_PORT_FLAGS[k] }),
  );
  const taken = await takenPorts([...controlPlanePorts, ...registryPorts(ir, (name) => name in DEMO_IMPLEMENTATIONS)]);
  if (taken.length > 0) throw new PortTakenError(taken);

  const cleanup: (() => Promise<void>)[] = [];
  try {
    const backends = await options.progress.stageAsync('start MCP servers and identity provider', () => startDemoBackends(ir, secrets, options.stateDir));
    cleanup.push(() => backends.close());
    // Mutual TLS by default: a development CA in <stateDir>/tls, reused across restarts.
    const pki = options.plaintext ? undefined : await openDevPki(join(options.stateDir, 'tls'));
    const tls = await pki?.issueControlPlane();
    const controlPlane = new ControlPlane({
      artifactsDir,
      host: '127.0.0.1',
      xdsPort: options.ports.xds,
      authzPort: options.ports.authz,
      adminPort: options.ports.admin,
      advertiseHost: '127.0.0.1',
      secretsDir,
      env: {},
      logger: options.logger,
      pollIntervalMs: 250,
      auditDir,
      // Binds MCP sessions to the caller that opened them; kept across restarts like the CA.
      sessionKeyFile: join(options.stateDir, 'session.key'),
      ...(options.onAccessLog ? { onAccessLog: options.onAccessLog } : {}),
      ...(tls ? { tls } : {}),
      ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
    });
    // Stopped also when start fails half-way (a port taken since the check), or its servers keep the process alive.
    cleanup.push(() => controlPlane.stop());
    const ports = await options.progress.stageAsync('start control plane', () => controlPlane.start());
    const envoys = new Map<string, EnvoyProcess>();
    const fleets = [...new Set(ir.gateways.map((g) => g.fleet))].sort();
    for (const fleet of fleets) {
      const workDir = join(options.stateDir, `envoy-${fleet}`);
      mkdirSync(workDir, { recursive: true, mode: 0o700 });
      const nodeId = `gatehouse-demo-${fleet}`;
      const envoyTls = pki ? await envoyIdentity(pki, fleet, nodeId, workDir) : undefined;
      // Envoy's admin interface on a socket only this user can open (envoy-admin-address.ts).
      const admin = { socket: join(workDir, 'admin.sock') };
      const envoy = startEnvoy({
        bootstrap: envoyBootstrap({
          nodeId,
          fleet,
          xdsHost: '127.0.0.1',
          xdsPort: ports.xds,
          admin,
          ...(options.xdsProtocol ? { xdsProtocol: options.xdsProtocol } : {}),
          ...(envoyTls ? { tls: envoyTls } : {}),
        }),
        admin,
        workDir,
        logLevel: options.envoyLogLevel ?? 'warn',
      });
      envoys.set(fleet, envoy);
      cleanup.push(() => envoy.stop());
    }
    for (const [fleet, envoy] of envoys) {
      const listeners = ir.gateways.filter((g) => g.fleet === fleet).map((g) => names.listener(g.name));
      const nodeId = `gatehouse-demo-${fleet}`;
      await options.progress.stageAsync(`start Envoy (fleet ${fleet})`, () =>
        waitForEnvoy(
          envoy,
          30_000,
          async () => (await Promise.all(listeners.map((l) => envoyHasListener(envoy.admin, l)))).every(Boolean),
          // Envoy rejects (NACKs) a listener it cannot bind, and would never become ready: report that at once.
          () => {
            const rejected = controlPlane.nodes.get(nodeId)?.types.listeners?.nacked;
            return rejected ? new EnvoyRejectedListenerError(fleet, rejected.message, ir) : undefined;
          },
        ),
      );
    }
    const gatewayFor = (vs: string) => ir.gateways.find((g) => g.virtualServers.includes(vs));
    const firstGateway = ir.gateways[0];
    return {
      ir,
      artifactsDir,
      auditDir,
      controlPlane,
      ports,
      envoys,
      backends,
      ...(pki && tls ? { pki, tls } : {}),
      endpoint: (vs) => resourceUrl(gatewayFor(vs) ?? { publicUrl: 'http://127.0.0.1' }, vs),
      tokenFor: async (team, extra) => {
        const member = teamMember(backends.idp.users, team);
        if (!member || !firstGateway) return undefined;
        return backends.idp.mint({
          sub: extra?.sub ?? member.sub,
          email: extra?.sub !== undefined ? `${extra.sub}@example.com` : member.email,
          groups: member.groups,
          audience: firstGateway.virtualServers.map((vs) => resourceUrl(firstGateway, vs)),
          ...(extra?.expiresIn !== undefined ? { expiresIn: extra.expiresIn } : {}),
        });
      },
      recompile: () => compileInChildProcess(options.root, artifactsDir),
      stop: async () => {
        for (const step of cleanup.reverse()) await step().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    throw error;
  }
}

/** A node's certificate from the development CA and the SDS files that point Envoy at it. */
async function envoyIdentity(pki: DevPki, fleet: string, nodeId: string, workDir: string): Promise<EnvoyTlsOptions> {
  const files = await pki.issueNode(fleet, nodeId);
  // Absolute paths: Envoy resolves relative ones against its own working directory.
  const tls = {
    trustDomain: pki.ca.trustDomain,
    caFile: resolve(pki.caFile),
    certFile: resolve(files.certFile),
    keyFile: resolve(files.keyFile),
    sdsDir: resolve(workDir),
  };
  for (const [path, text] of Object.entries(envoySdsFiles(tls))) writeFileSync(path, text);
  return tls;
}
