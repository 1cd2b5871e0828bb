// The local multi-node test of the HA control plane: two `gatehouse serve` replicas (their own
// processes) polling one published artifact set (a static HTTP host, as CI publishes to) and writing
// one audit folder, three Envoys in two fleets (two Envoys
// of fleet `default` share its port through SO_REUSEPORT), and MCP SDK clients calling steadily
// through them. One replica is SIGKILLed and restarted, and a new artifact set is published, while
// the calls go on. Then: no call failed, every call is in exactly one audit stream, every stream
// verifies, every Envoy is on the new version, and the replicas served the same versions (so
// Envoys that moved to the survivor were sent nothing again).
import { Agent } from 'node:http';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditPath } from '../../audit/src/verify-path.ts';
import { names } from '../../compiler/src/emit/xds/names.ts';
import { resourceUrl, type Ir } from '../../compiler/src/ir/types.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { compile } from '../../compiler/src/pipeline/compile.ts';
import { startDemoBackends, type DemoBackends } from '../../demo/src/demo-backends.ts';
import { envoyAdminGet } from '../../demo/src/envoy-admin.ts';
import { envoyHasListener, startEnvoy, waitForEnvoy, type EnvoyProcess } from '../../demo/src/envoy-process.ts';
import { teamMember } from '../../demo/src/identity/directory.ts';
import { ensureDemoSecrets } from '../../demo/src/secrets.ts';
import { envoyBootstrap } from '../../xds-server/src/bootstrap.ts';
import { freeExamplePorts, remapExamplePorts } from '../../testkit/example-ports.ts';
import { freePorts } from '../../testkit/ports.ts';
import { copyExampleRepo, tempDir } from '../../testkit/repo.ts';
import { startArtifactHost, type ArtifactHost } from '../../testkit/artifact-host.ts';
import { connectionFetch } from '../harness/connection-fetch.ts';
import { startReplica, stopReplica, type ReplicaProcess, type ReplicaSettings } from '../harness/replica-process.ts';
import { eventually } from '../harness/stack.ts';

/**
 * The gateways' ext_authz timeout. What this test is about is failover: a Check that meets a dead
 * replica is retried on the survivor. The survivor's answer itself must come within the timeout (a
 * slow answer is not retried, and fails closed by design); in the full suite many stacks share two
 * cores, and one call failed closed at the kill with the example's 500 ms, most likely on such a slow answer.
 */
const AUTHZ_TIMEOUT = '2s';
const SECOND_GATEWAY = (port: number) => `apiVersion: gatehouse.dev/v1alpha1
kind: Gateway
metadata:
  name: second
spec:
  fleet: second
  listener:
    address: 127.0.0.1
    port: ${String(port)}
  publicUrl: http://127.0.0.1:${String(port)}
  maxRequestBytes: 65536
  authz:
    timeout: ${AUTHZ_TIMEOUT}
  audit:
    arguments: redacted
`;

interface Caller {
  readonly name: string;
  readonly client: Client;
  readonly agent: Agent;
  ok: number;
  readonly failures: string[];
  readonly queries: string[];
  /** When each query's call was answered (ms since the epoch). */
  readonly answeredAt: Map<string, number>;
}

const work = tempDir('gatehouse-ha-');
const state = join(work.path, 'state');
const compiledDir = join(state, 'dist');
const auditDir = join(state, 'audit');
let root = '';
let ir: Ir;
let backends: DemoBackends | undefined;
let artifactHost: ArtifactHost | undefined;
const replicas: ReplicaProcess[] = [];
const envoys: { fleet: string; node: string; process: EnvoyProcess }[] = [];

/** Compiles the registry and publishes the set to the static host both replicas poll, as CI's main build does. */
async function pushArtifacts(): Promise<string> {
  const result = await compile({ root, out: compiledDir, revision: 'local' }, SILENT);
  if (!result.manifest || !result.ir) throw new Error('the registry does not compile');
  ir = result.ir;
  if (!artifactHost) throw new Error('no artifact host');
  return artifactHost.publish(compiledDir);
}

async function metric(replica: ReplicaProcess, name: string): Promise<number> {
  const text = (await replica.admin('/metrics')).text;
  return text.split('\n').filter((l) => l.startsWith(name)).reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

/** The clusters' and listeners' versions a replica serves a fleet. */
async function servedVersions(replica: ReplicaProcess, fleet: string): Promise<string> {
  const status = JSON.parse((await replica.admin('/status')).text) as { fleets: Record<string, Record<string, { version: string }>> };
  const types = status.fleets[fleet] ?? {};
  return `${types.clusters?.version ?? ''}/${types.listeners?.version ?? ''}`;
}

/** The clusters' and listeners' versions an Envoy has taken. */
async function envoyVersions(envoy: EnvoyProcess): Promise<string> {
  const stats = (await envoyAdminGet(envoy.admin, '/stats?filter=version_text')).body;
  const read = (stat: string) => new RegExp(`^${stat.replace(/\./g, '\\.')}: "([^"]*)"`, 'm').exec(stats)?.[1] ?? '';
  return `${read('cluster_manager.cds.version_text')}/${read('listener_manager.lds.version_text')}`;
}

beforeAll(async () => {
  const ports = await freeExamplePorts();
  const [secondPort, ...cp] = await freePorts(7);
  root = copyExampleRepo(join(work.path, 'repo'), {}, (path, text) => {
    const remapped = remapExamplePorts(text, ports);
    return path.endsWith('gateways/local.yaml') ? remapped.replace('timeout: 500ms', `timeout: ${AUTHZ_TIMEOUT}`) : remapped;
  });
  writeFileSync(join(root, 'registry', 'gateways', 'second.yaml'), SECOND_GATEWAY(secondPort!));
  mkdirSync(state, { recursive: true, mode: 0o700 });
  const host = await startArtifactHost();
  artifactHost = host;
  await pushArtifacts();
  const secretsDir = join(state, 'secrets');
  backends = await startDemoBackends(ir, ensureDemoSecrets(ir, secretsDir), state);
  const replicaPorts = [0, 1].map((i) => ({ xds: cp[i * 3]!, authz: cp[i * 3 + 1]!, admin: cp[i * 3 + 2]! }));
  const settings = (i: number): ReplicaSettings => ({
    id: `cp-${'ab'[i]!}`,
    ports: replicaPorts[i]!,
    replicas: replicaPorts.map((p) => ({ host: '127.0.0.1', port: p.authz })),
    artifacts: host.url,
    artifactsPollSeconds: 0.5,
    secretsDir,
    auditDir,
    sessionKeyFile: join(state, 'session.key'),
    logFile: join(state, `replica-${String(i)}.log`),
  });
  // One after the other: the first creates the audit and session keys both use.
  for (const i of [0, 1]) {
    const replica = startReplica(settings(i));
    replicas.push(replica);
    await eventually(async () => (await replica.admin('/readyz').catch(() => ({ status: 0 }))).status === 200, 60_000, `replica ${settings(i).id} ready`);
  }
  for (const [fleet, index] of [['default', 1], ['default', 2], ['second', 3]] as const) {
    const dir = join(state, `envoy-${String(index)}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const node = `ha-${fleet}-${String(index)}`;
    const admin = { socket: join(dir, 'admin.sock') };
    const [first, ...more] = replicaPorts.map((p) => ({ host: '127.0.0.1', port: p.xds }));
    const bootstrap = envoyBootstrap({ nodeId: node, fleet, xdsHost: first!.host, xdsPort: first!.port, moreXds: more, admin });
    envoys.push({ fleet, node, process: startEnvoy({ bootstrap, admin, workDir: dir, logLevel: 'warn' }) });
  }
  for (const envoy of envoys) {
    const listeners = ir.gateways.filter((g) => g.fleet === envoy.fleet).map((g) => names.listener(g.name));
    await waitForEnvoy(envoy.process, 60_000, async () => (await Promise.all(listeners.map((l) => envoyHasListener(envoy.process.admin, l)))).every(Boolean));
  }
}, 240_000);

afterAll(async () => {
  // HA_KEEP=1 keeps the folder and each Envoy's stats and clusters, to see what went wrong.
  if (process.env.HA_KEEP) {
    for (const envoy of envoys) writeFileSync(join(state, `${envoy.node}.stats`), (await envoyAdminGet(envoy.process.admin, '/stats')).body);
    for (const envoy of envoys) writeFileSync(join(state, `${envoy.node}.clusters`), (await envoyAdminGet(envoy.process.admin, '/clusters')).body);
  }
  for (const envoy of envoys) await envoy.process.stop();
  for (const replica of replicas) await stopReplica(replica);
  await backends?.close();
  await artifactHost?.close();
  if (process.env.HA_KEEP) console.log(work.path);
  else work.remove();
});

/** How many times each test call's query is in the audit folder (all streams). */
function auditedQueries(): Map<string, number> {
  const seen = new Map<string, number>();
  for (const name of readdirSync(auditDir).filter((n) => n.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(auditDir, name), 'utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      const record = JSON.parse(line) as { type: string; method?: string; arguments?: { value?: { query?: string } } };
      const query = record.arguments?.value?.query;
      if (record.type === 'request' && record.method === 'tools/call' && query?.startsWith('ha ')) seen.set(query, (seen.get(query) ?? 0) + 1);
    }
  }
  return seen;
}

async function connectCaller(name: string, gateway: string, token: string): Promise<Caller> {
  const agent = new Agent({ keepAlive: true });
  const client = new Client({ name: `gatehouse-ha-${name}`, version: '1.0.0' });
  const url = new URL(resourceUrl(ir.gateways.find((g) => g.name === gateway)!, 'knowledge'));
  const requestInit = { headers: { Authorization: `Bearer ${token}` } };
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit, fetch: connectionFetch(agent) }));
  return { name, client, agent, ok: 0, failures: [], queries: [], answeredAt: new Map() };
}

/** Calls search_docs with a query unique to the call, one call after another, until `stop` says so. */
async function callSteadily(caller: Caller, stop: () => boolean): Promise<void> {
  for (let n = 0; !stop() && n < 2000; n += 1) {
    const query = `ha ${caller.name} ${String(n)}`;
    try {
      const result = await caller.client.callTool({ name: 'search_docs', arguments: { query } });
      if (result.isError) caller.failures.push(`${query}: ${JSON.stringify(result.content)}`);
      else caller.ok += 1;
    } catch (error) {
      caller.failures.push(`${query}: ${error instanceof Error ? error.message : String(error)}`);
    }
    caller.queries.push(query);
    caller.answeredAt.set(query, Date.now());
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('HA control plane', () => {
  it('loses no call, and no audit record but those in flight to it, when a replica is killed and restarted during an artifact push', async () => {
    const started = Date.now();
    const member = teamMember(backends!.idp.users, 'support')!;
    // A subject of its own per caller (same team): the per-caller limit (20 calls/s on each Envoy) is not what this test is about, and
    // four callers of one subject that get fast answers call more often than that.
    const connect = async (name: string, gateway: string) => connectCaller(name, gateway, await backends!.idp.mint({
      sub: `${member.sub}-${name}`, email: member.email, groups: member.groups,
      audience: ir.gateways.map((g) => resourceUrl(g, 'knowledge')),
    }));
    const callers = [
      ...(await Promise.all([1, 2, 3, 4].map((i) => connect(`default-${String(i)}`, 'local')))),
      ...(await Promise.all([1, 2].map((i) => connect(`second-${String(i)}`, 'second')))),
    ];
    let stopping = false;
    const calling = Promise.all(callers.map((c) => callSteadily(c, () => stopping)));
    const [a, b] = replicas as [ReplicaProcess, ReplicaProcess];
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(3000);

    // Same artifacts, same replica list: the same versions on both replicas.
    for (const fleet of ['default', 'second']) expect(await servedVersions(a, fleet)).toBe(await servedVersions(b, fleet));

    // SIGKILL one replica: every Envoy moves its ADS stream to the other, which sends nothing again.
    const pushesBefore = await metric(b, 'gatehouse_xds_pushes_total');
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await a.exited;
    const onSurvivor = async () => (await metric(b, 'gatehouse_xds_connected_streams')) === envoys.length;
    await eventually(onSurvivor, 30_000, 'every Envoy streaming from the survivor');
    expect(await metric(b, 'gatehouse_xds_pushes_total')).toBe(pushesBefore);
    await pause(2000);

    // Restart it (its audit stream's lock, left by the killed process, is taken over), then push a new artifact set.
    const restarted = startReplica(a.settings);
    replicas[0] = restarted;
    await eventually(async () => (await restarted.admin('/readyz').catch(() => ({ status: 0 }))).status === 200, 60_000, 'restarted replica ready');
    for (const file of ['local.yaml', 'second.yaml']) {
      const path = join(root, 'registry', 'gateways', file);
      writeFileSync(path, readFileSync(path, 'utf8').replace('maxRequestBytes: 65536', 'maxRequestBytes: 131072'));
    }
    const version = await pushArtifacts();
    await eventually(async () => {
      for (const envoy of envoys) {
        const served = await servedVersions(restarted, envoy.fleet);
        if (served !== (await servedVersions(b, envoy.fleet)) || (await envoyVersions(envoy.process)) !== served) return false;
      }
      const status = JSON.parse((await b.admin('/status')).text) as { artifacts: { loaded?: { version: string } } };
      return status.artifacts.loaded?.version === version;
    }, 30_000, 'every Envoy on the new version');
    await pause(2000);
    stopping = true;
    await calling;
    for (const c of callers) {
      await c.client.close();
      c.agent.destroy();
    }

    // One call may fail closed at the kill (README, High availability): seen in 2 of 8 full parallel runs, never alone; the
    // cause is not found (a Check in flight to a SIGKILLed replica is retried on the other). Any other failure fails the test.
    const answeredAt = new Map(callers.flatMap((c) => [...c.answeredAt]));
    const failedClosedAtKill = (f: string) => {
      const at = answeredAt.get(f.slice(0, f.indexOf(':'))) ?? 0;
      return f.includes('(ext_authz_error)') && at >= killedAt && at <= killedAt + 5_000;
    };
    const failures = callers.flatMap((c) => c.failures);
    expect(failures.filter((f) => !failedClosedAtKill(f))).toEqual([]);
    expect(failures.length).toBeLessThanOrEqual(1);
    const refused = new Set(failures.map((f) => f.slice(0, f.indexOf(':'))));
    const calls = callers.reduce((n, c) => n + c.ok, 0);
    expect(calls).toBeGreaterThan(50);
    // Each Envoy carried calls (the two of fleet default share its port).
    for (const envoy of envoys) {
      const stats = (await envoyAdminGet(envoy.process.admin, '/stats?filter=downstream_rq_2xx')).body;
      const served = stats.split('\n').filter((l) => l.startsWith('http.') && !l.startsWith('http.admin')).reduce((n, l) => n + Number(l.split(': ')[1]), 0);
      expect(served, envoy.node).toBeGreaterThan(0);
    }

    // Every call in exactly one audit stream (Envoy flushes access logs every second), and every stream verifies. Envoy's access-log
    // protocol has no acknowledgement: entries Envoy had written to the killed replica that it had not yet written down are lost
    // (docs/observability.md). So a call may be missing only if it was answered in the moments before the kill: Envoy's 1 s buffer,
    // plus what sat in the killed replica's socket and gRPC buffers on a loaded machine.
    // A call refused before its decision has no arguments in its record, so it cannot be found by its query.
    const answered = callers.flatMap((c) => c.queries).filter((q) => !refused.has(q));
    const mayBeLost = (q: string) => { const at = answeredAt.get(q) ?? 0; return at >= killedAt - 3_000 && at <= killedAt + 500; };
    const unexplained = () => { const seen = auditedQueries(); return answered.filter((q) => !seen.has(q) && !mayBeLost(q)); };
    await eventually(async () => Promise.resolve(unexplained().length === 0), 15_000, 'every call audited, but for those in flight at the kill');
    for (const replica of replicas) await stopReplica(replica);
    const verified = verifyAuditPath(auditDir);
    if ('error' in verified) throw new Error(verified.error);
    expect(verified.reports.map((r) => [r.stream, r.problem])).toEqual(verified.reports.map((r) => [r.stream, undefined]));
    expect(verified.reports.map((r) => r.stream).sort()).toEqual(['local.cp-a', 'local.cp-b', 'second.cp-a', 'second.cp-b']);
    const seen = auditedQueries();
    expect(answered.filter((q) => (seen.get(q) ?? 0) > 1)).toEqual([]);
    expect(unexplained()).toEqual([]);
    const lost = answered.filter((q) => !seen.has(q));
    if (lost.length > 0) console.log(`ha: ${String(lost.length)} of ${String(answered.length)} audit records lost with the killed replica: ${lost.join(', ')}`);
    expect(seen.size).toBeGreaterThanOrEqual(answered.length - answered.filter(mayBeLost).length);
    expect(Date.now() - started).toBeLessThan(90_000);
  }, 150_000);
});
