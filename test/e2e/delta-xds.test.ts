// Delta xDS against the real Envoy: a virtual server (with a second gateway) is added, changed and
// removed through artifact reloads; Envoy ACKs each push, its config_dump shows exactly the new
// resources, and a push carries only what changed. A control-plane restart then sends Envoy nothing:
// it declares what it has (initial_resource_versions) and already has everything.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envoyAdminGet } from '../../demo/src/envoy-admin.ts';
import type { ControlPlane } from '../../xds-server/src/control-plane.ts';
import { memoryLogger } from '../../xds-server/src/log.ts';
import { freePorts } from '../../testkit/ports.ts';
import { eventually, startTestStack, type TestStack } from '../harness/stack.ts';

const NODE_ID = 'gatehouse-demo-default';
const LEDGER_CLUSTER = 'mcp-virtual-server-ledger';
const SECOND_LISTENER = 'gatehouse-gateway-second';

let stack: TestStack;
let secondPort: number;
/** The control plane serving Envoy now (the stack's, then its replacement). */
let controlPlane: ControlPlane;
let logs: string[];

beforeAll(async () => {
  stack = await startTestStack();
  controlPlane = stack.controlPlane;
  logs = stack.logs;
  [secondPort] = (await freePorts(1)) as [number];
});
afterAll(async () => (stack as TestStack | undefined)?.dispose());

const ledgerFile = () => join(stack.root, 'registry', 'virtual-servers', 'ledger.yaml');

const virtualServer = (servers: readonly string[]) => `apiVersion: gatehouse.dev/v1alpha1
kind: VirtualServer
metadata:
  name: ledger
spec:
  description: The payments ledger, with tickets.
  members:
${servers.map((server) => `    - server: ${server}\n      tools: ["*"]\n`).join('')}`;

const secondGateway = () => `apiVersion: gatehouse.dev/v1alpha1
kind: Gateway
metadata:
  name: second
spec:
  fleet: default
  listener:
    address: 127.0.0.1
    port: ${String(secondPort)}
  publicUrl: http://127.0.0.1:${String(secondPort)}
`;

interface NodeTypes {
  readonly id: string;
  readonly xds?: string;
  readonly responses: number;
  readonly types: Record<string, { acked?: string; nacked?: unknown }>;
}

interface Status {
  readonly artifacts: { loaded?: { version: string } };
  readonly fleets: Record<string, Record<string, { version: string }>>;
  readonly nodes: NodeTypes[];
}

const status = () => controlPlane.status() as unknown as Status;
const node = () => status().nodes.find((n) => n.id === NODE_ID);

/** Whether Envoy has ACKed the served snapshot's version of every type it subscribes to. */
function envoyInSync(): boolean {
  const fleet = status().fleets.default;
  const types = node()?.types ?? {};
  return fleet !== undefined && ['clusters', 'endpoints', 'listeners', 'routes', 'secrets'].every((t) => types[t]?.acked === fleet[t]?.version);
}

/** The names of the dynamic clusters, listeners and route configurations Envoy is running. */
async function envoyResources(): Promise<{ clusters: string[]; listeners: string[]; routes: string[] }> {
  const envoy = [...stack.envoys.values()][0]!;
  const dump = JSON.parse((await envoyAdminGet(envoy.admin, '/config_dump')).body) as {
    configs: {
      '@type': string;
      dynamic_active_clusters?: { cluster: { name: string } }[];
      dynamic_listeners?: { name: string; active_state?: unknown }[];
      dynamic_route_configs?: { route_config: { name: string } }[];
    }[];
  };
  const config = (type: string) => dump.configs.find((c) => c['@type'].endsWith(`.${type}`));
  return {
    clusters: (config('ClustersConfigDump')?.dynamic_active_clusters ?? []).map((c) => c.cluster.name).sort(),
    listeners: (config('ListenersConfigDump')?.dynamic_listeners ?? []).filter((l) => l.active_state).map((l) => l.name).sort(),
    routes: (config('RoutesConfigDump')?.dynamic_route_configs ?? []).map((r) => r.route_config.name).sort(),
  };
}

/** Recompiles the edited registry into the served folder, and waits until Envoy has ACKed all of it. */
async function publish(): Promise<void> {
  const compiled = await stack.recompile();
  expect(compiled.ok, compiled.report).toBe(true);
  await controlPlane.reload();
  await eventually(() => Promise.resolve(status().artifacts.loaded?.version === compiled.version), 15_000, 'the control plane loads the new artifacts');
  await eventually(() => Promise.resolve(envoyInSync()), 20_000, 'Envoy ACKs every type of the new snapshot');
}

/** The delta pushes the control plane logged since `from`: type, resources sent, names removed. */
function pushesSince(from: number): { type: string; resources: number; removed: number }[] {
  return logs
    .slice(from)
    .filter((l) => l.includes('xds push'))
    .map((l) => ({
      type: /type=(\S+)/.exec(l)?.[1] ?? '',
      resources: Number(/resources=(\d+)/.exec(l)?.[1]),
      removed: Number(/removed=(\d+)/.exec(l)?.[1] ?? 0),
    }));
}

const gatewayAnswers = async (port: number) => {
  try {
    return (await fetch(`http://127.0.0.1:${String(port)}/.well-known/oauth-protected-resource/mcp/ledger`)).status === 200;
  } catch {
    return false;
  }
};

describe('delta xDS with the real Envoy', () => {
  it('Envoy speaks delta and is in sync after start', async () => {
    await eventually(() => Promise.resolve(envoyInSync()), 20_000, 'Envoy ACKs the first snapshot');
    expect(node()?.xds).toBe('delta');
    expect((await envoyResources()).clusters).not.toContain(LEDGER_CLUSTER);
  });

  it('adds a virtual server and a gateway: new cluster, listener and routes, nothing else resent', async () => {
    const before = await envoyResources();
    const from = logs.length;
    writeFileSync(ledgerFile(), virtualServer(['payments', 'tickets']));
    writeFileSync(join(stack.root, 'registry', 'gateways', 'second.yaml'), secondGateway());
    await publish();
    const after = await envoyResources();
    expect(after.clusters).toEqual([...before.clusters, LEDGER_CLUSTER, 'gatehouse-gateway-second-mcp-router'].sort());
    expect(after.listeners).toEqual([...before.listeners, SECOND_LISTENER, `${SECOND_LISTENER}-mcp-router`].sort());
    expect(after.routes).toEqual([...before.routes, SECOND_LISTENER, `${SECOND_LISTENER}-mcp-router`].sort());
    await eventually(() => gatewayAnswers(secondPort), 10_000, 'the new gateway serves the new virtual server');
    // Two new clusters (unchanged ones are not resent), and no removal.
    const clusters = pushesSince(from).filter((p) => p.type === 'clusters');
    expect(clusters.reduce((n, p) => n + p.resources, 0)).toBeLessThanOrEqual(3);
    expect(clusters.reduce((n, p) => n + p.resources, 0)).toBeGreaterThanOrEqual(2);
    expect(pushesSince(from).every((p) => p.removed === 0)).toBe(true);
  });

  it('changes the virtual server: only its cluster and the routes that changed are pushed', async () => {
    const from = logs.length;
    // Still two members (a one-member virtual server needs no aggregate cluster): docs instead of tickets.
    writeFileSync(ledgerFile(), virtualServer(['payments', 'docs']));
    await publish();
    const pushes = pushesSince(from);
    expect(pushes.filter((p) => p.type === 'clusters')).toEqual([{ type: 'clusters', resources: 1, removed: 0 }]);
    expect(pushes.some((p) => p.type === 'endpoints' || p.type === 'secrets')).toBe(false);
    expect(node()?.types.clusters?.nacked).toBeUndefined();
  });

  it('removes the virtual server and the gateway: Envoy drops the cluster, listener and routes', async () => {
    const before = await envoyResources();
    const from = logs.length;
    rmSync(ledgerFile());
    rmSync(join(stack.root, 'registry', 'gateways', 'second.yaml'));
    await publish();
    // The cluster removal is the last push (make before break); Envoy stops the listener as it drains.
    const gone = async () => {
      const now = await envoyResources();
      return !now.clusters.includes(LEDGER_CLUSTER) && !now.listeners.includes(SECOND_LISTENER);
    };
    await eventually(gone, 10_000, 'Envoy drops the removed cluster and listener');
    const after = await envoyResources();
    expect(after.clusters).toEqual(before.clusters.filter((c) => c !== LEDGER_CLUSTER && c !== 'gatehouse-gateway-second-mcp-router'));
    expect(after.listeners).toEqual(before.listeners.filter((l) => !l.startsWith(SECOND_LISTENER)));
    // A removed listener drains before its socket closes.
    await eventually(async () => !(await gatewayAnswers(secondPort)), 10_000, 'the removed gateway stops answering');
    // Listeners first, then routes, then clusters, each with its removals. (Envoy's config_dump keeps a
    // removed route configuration while the listener that used it drains, so it is checked here.)
    expect(pushesSince(from).filter((p) => p.removed > 0).map((p) => [p.type, p.removed])).toEqual([
      ['listeners', 2],
      ['routes', 2],
      ['clusters', 2],
    ]);
  });

  it('after a control-plane restart, Envoy reconnects and is sent nothing it already has', async () => {
    await stack.controlPlane.stop();
    const logger = memoryLogger();
    controlPlane = stack.replacementControlPlane({ logger });
    logs = logger.lines;
    try {
      await controlPlane.start();
      await eventually(() => Promise.resolve((controlPlane.nodes.get(NODE_ID)?.streams ?? 0) > 0), 40_000, 'Envoy reconnects to ADS');
      await eventually(() => Promise.resolve(envoyInSync()), 20_000, 'the node shows every type at the served version');
      expect(node()?.responses).toBe(0);
      expect(logs.filter((l) => l.includes('xds push'))).toEqual([]);
      expect(logs.some((l) => l.includes('xds in sync'))).toBe(true);
    } finally {
      await controlPlane.stop();
    }
  }, 90_000);
});
