// The demo stack for end-to-end tests: a copy of the example repository with every port remapped
// to a free one, then the real thing — control plane, Envoy, MCP SDK servers, identity provider.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { ControlPlane, type ControlPlaneOptions } from '../../xds-server/src/control-plane.ts';
import { memoryLogger } from '../../xds-server/src/log.ts';
import { startDemoStack, type DemoStack } from '../../demo/src/demo-stack.ts';
import type { AccessLogEntry } from '../../xds-server/src/accesslog/access-log-service.ts';
import { freeExamplePorts, remapExamplePorts } from '../../testkit/example-ports.ts';
import { freePorts } from '../../testkit/ports.ts';
import { copyExampleRepo, tempDir, type RepoEdits } from '../../testkit/repo.ts';

export interface TestStack extends DemoStack {
  readonly root: string;
  readonly gatewayUrl: string;
  readonly logs: string[];
  readonly accessLogs: AccessLogEntry[];
  /** An MCP SDK client connected to a virtual server with a bearer token. */
  connect(virtualServer: string, token: string): Promise<Client>;
  /** Removes the temporary folder (after stop). */
  dispose(): Promise<void>;
  /** Another control plane on the same ports, folders and artifacts, polling them as the demo's does (start it after stopping the one in place). */
  replacementControlPlane(overrides?: Partial<ControlPlaneOptions>): ControlPlane;
}

/**
 * `edit` rewrites registry files after the ports are remapped (e.g. to add a tracing collector); `files` adds or replaces whole files;
 * `secrets` are put in the control plane's secrets folder before it starts (e.g. a gateway's TLS certificate), by reference.
 */
export async function startTestStack(
  options: { edit?: (path: string, text: string) => string; files?: RepoEdits; secrets?: Readonly<Record<string, string>>; adminToken?: string } = {},
): Promise<TestStack> {
  const work = tempDir('gatehouse-e2e-');
  const secretsDir = join(work.path, 'state', 'secrets');
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  for (const [ref, value] of Object.entries(options.secrets ?? {})) writeFileSync(join(secretsDir, ref), value, { mode: 0o600 });
  const ports = await freeExamplePorts();
  const [xds, authz, admin] = await freePorts(3);
  const gateway = ports.gateway;
  const edit = options.edit ?? ((_path: string, text: string) => text);
  const root = copyExampleRepo(join(work.path, 'repo'), options.files ?? {}, (path, text) => edit(path, remapExamplePorts(text, ports)));
  const logger = memoryLogger();
  const accessLogs: AccessLogEntry[] = [];
  const stack = await startDemoStack({
    root,
    stateDir: join(work.path, 'state'),
    ports: { xds: xds!, authz: authz!, admin: admin! },
    logger,
    progress: SILENT,
    envoyLogLevel: 'info',
    onAccessLog: (entries) => accessLogs.push(...entries),
    ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
  });
  return {
    ...stack,
    root,
    gatewayUrl: `http://127.0.0.1:${gateway}`,
    logs: logger.lines,
    accessLogs,
    connect: async (virtualServer: string, token: string) => {
      const client = new Client({ name: 'gatehouse-e2e', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(stack.endpoint(virtualServer)), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
      );
      return client;
    },
    replacementControlPlane: (overrides = {}) =>
      new ControlPlane({
        artifactsDir: stack.artifactsDir,
        host: '127.0.0.1',
        xdsPort: stack.ports.xds,
        authzPort: stack.ports.authz,
        adminPort: 0,
        advertiseHost: '127.0.0.1',
        secretsDir: join(stack.artifactsDir, '..', 'secrets'),
        env: {},
        logger: memoryLogger(),
        pollIntervalMs: 250,
        auditDir: stack.auditDir,
        sessionKeyFile: join(stack.artifactsDir, '..', 'session.key'),
        ...overrides,
        ...(stack.tls ? { tls: stack.tls } : {}),
      }),
    dispose: async () => {
      await stack.stop();
      work.remove();
    },
  };
}

/** POSTs a raw JSON-RPC body to an MCP endpoint, as a client that speaks streamable HTTP would. */
export async function postMcp(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Retries `check` until it returns true or the time is up; returns how long it took, in ms. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not true after ${timeoutMs} ms`);
}
