// Benchmark 4, xDS fan-out: 100 and 1,000 simulated Envoys (grpc-js ADS clients, in processes of
// their own) on one control plane serving a 100-server fleet. A new artifact set is swapped into
// the served folder and the control plane is told to reload (as SIGHUP does); measured: the time
// from that moment (and from the snapshot reaching the cache) until each node has ACKed every
// type of the new snapshot, p50/p99/max across nodes, and the control plane's memory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeArtifacts } from '../compiler/src/artifacts/write.ts';
import { hasErrors } from '../compiler/src/diagnostics/diagnostic.ts';
import { formatDiagnostics } from '../compiler/src/diagnostics/format.ts';
import type { FleetResources } from '../artifacts/src/fleet-resources.ts';
import type { ResourceType } from '../artifacts/src/type-urls.ts';
import { compile } from '../compiler/src/pipeline/compile.ts';
import { SILENT } from '../compiler/src/pipeline/progress.ts';
import { freePorts } from '../testkit/ports.ts';
import { tempDir } from '../testkit/repo.ts';
import {
  asyncStep,
  cpuSeconds,
  machineInfo,
  memoryMiB,
  percentiles,
  round,
  say,
  sleep,
  startWorker,
  waitForQuietMachine,
  type BenchFlags,
  type BenchResult,
  type Percentiles,
  type TargetCheck,
  type Worker,
} from './lib/common.ts';
import { DEFAULT_SHAPE, generateRegistry, generatedSecrets } from './generate-registry.ts';
import { MANIFEST_FILE, fleetFile } from '../artifacts/src/layout.ts';
import { changeOneServer, measureOneChange, nextSnapshot, waitAllAcked, type OneChangeResult, type Protocol } from './xds-one-change.ts';
import { CONTROL_PLANE_CLUSTER } from '../artifacts/src/metadata-names.ts';

export const XDS_COMMAND = 'npm run bench -- xds';

interface Trial {
  readonly nodes: number;
  /** ms from the reload request to the new snapshot in the cache (load, checks, encoding). */
  readonly loadMs: number;
  /** ms from the reload request until each node ACKed every type. */
  readonly fromReload: Percentiles;
  /** ms from the snapshot reaching the cache until each node ACKed every type. */
  readonly fromCacheSet: Percentiles;
  readonly notAcked: number;
  readonly controlPlaneRssMiB: number;
  readonly controlPlaneCpuSeconds: number;
  /** Peaks seen while the push ran, MiB. */
  readonly controlPlaneMemory: { rss: number; heapUsed: number; external: number; arrayBuffers: number };
}

export async function runXdsBench(flags: BenchFlags): Promise<BenchResult> {
  const nodeCounts = [100, 1000]; // --quick too: the memory target is at 1,000 nodes
  const trialsPerCount = flags.quick ? 2 : 5;
  const shape = { ...DEFAULT_SHAPE, servers: 100 };
  const quiet = await waitForQuietMachine();
  const work = tempDir('gatehouse-bench-xds-');
  const cleanup: (() => Promise<void>)[] = [asyncStep(() => work.remove())];
  try {
    // Two variants of one registry: same resource names, every type but secrets different; and a
    // third, the first with one server's upstream changed (the one-server change, SotW against delta).
    say('compiling three variants of a 100-server registry');
    const dists: string[] = [];
    for (const variant of [0, 1, 2]) {
      const root = join(work.path, `registry-${variant}`);
      generateRegistry(root, shape, 42, variant === 2 ? 0 : variant);
      if (variant === 2) say(`one-server change: ${changeOneServer(root)}`);
      const out = join(work.path, `dist-${variant}`);
      const result = await compile({ root, out, revision: `variant-${variant}`, skipEnvoyValidate: true }, SILENT);
      if (hasErrors(result.diagnostics)) throw new Error(formatDiagnostics(result.diagnostics, 'text'));
      dists.push(out);
    }
    const served = join(work.path, 'served');
    const serve = (variant: number) => {
      const dir = dists[variant]!;
      const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { files: Record<string, unknown> };
      writeArtifacts(served, [...Object.keys(manifest.files), MANIFEST_FILE].map((path) => ({ path, bytes: readFileSync(join(dir, path)) })));
    };
    serve(0);
    const fleet = JSON.parse(readFileSync(join(served, fleetFile('default')), 'utf8')) as FleetResources;
    const names: Partial<Record<ResourceType, string[]>> = {
      endpoints: [...fleet.endpoints.map((e) => String(e.cluster_name)), CONTROL_PLANE_CLUSTER].sort(),
      routes: fleet.routes.map((r) => String(r.name)).sort(),
      secrets: fleet.secrets.map((s) => s.name).sort(),
    };
    const resources = {
      clusters: fleet.clusters.length,
      endpoints: names.endpoints!.length,
      listeners: fleet.listeners.length,
      routes: names.routes!.length,
      secrets: names.secrets!.length,
    };

    const trials: Trial[] = [];
    const perCount: Record<number, CountSummary> = {};
    let variant = 0;
    for (const count of nodeCounts) {
      const [xds, authz, admin] = (await freePorts(3)) as [number, number, number];
      const cp = startWorker(
        'lib/control-plane-main.ts',
        [JSON.stringify({ artifactsDir: served, env: generatedSecrets(shape), ports: { xds, authz, admin } })],
        flags.profile ? { execArgv: ['--cpu-prof', '--cpu-prof-dir', 'bench/results/profiles'] } : {},
      );
      const stopCp = () => cp.stop();
      cleanup.push(stopCp);
      await cp.waitFor((m) => m.ready === true);
      const current = async () => {
        const { status } = await cp.call<{ status: { fleets: Record<string, Record<string, { version: string }>> } }>({ cmd: 'status' });
        return status.fleets.default!;
      };
      const idleRss = memoryMiB(cp.pid)?.rss ?? NaN;

      const processes = count >= 500 ? 2 : 1;
      const clients: Worker[] = [];
      for (let p = 0; p < processes; p++) {
        const w = startWorker('lib/ads-clients.ts');
        clients.push(w);
        cleanup.push(() => w.stop());
        await w.waitFor((m) => m.ready === true);
      }
      const connectedAt = Number(process.hrtime.bigint()) / 1e6;
      const perProcess = Math.ceil(count / processes);
      const connectOptions = (p: number) => ({ port: xds, count: perProcess, fleet: 'default', prefix: `sim-${p}`, names });
      await Promise.all(clients.map((w, p) => w.call({ cmd: 'connect', options: connectOptions(p) })));
      const versions = (snapshot: Record<string, { version: string }>) => Object.fromEntries(Object.entries(snapshot).map(([t, v]) => [t, v.version]));
      const initial = await waitAllAcked(clients, versions(await current()), 60_000);
      const initialSyncMs = round(Math.max(...initial.at.map((a) => (a ?? Infinity) - connectedAt)), 1);
      await sleep(1000);
      const connectedRss = memoryMiB(cp.pid)?.rss ?? NaN;
      say(`${count} nodes connected and synced in ${initialSyncMs} ms; control plane RSS ${connectedRss} MiB`);
      const stats0 = await Promise.all(clients.map((w) => w.call<{ bytes: number; responses: number }>({ cmd: 'stats' })));

      for (let t = 0; t < trialsPerCount; t++) {
        variant = 1 - variant;
        serve(variant);
        const snapshotEvent = nextSnapshot<{ at: string; versions: Record<string, Record<string, string>> }>(cp, process.hrtime.bigint(), 60_000);
        const before = versions(await current());
        const cpu0 = cpuSeconds(cp.pid) ?? 0;
        // Samples the control plane's memory while the push runs (RSS, V8 heap, Buffers).
        const peakMemory = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
        let sampling = true;
        // A named function, not an immediately invoked one: TypeScript would read `sampling` as the `true` it holds
        // when the sampler starts, though the push below sets it to false.
        const sampleMemory = async () => {
          while (sampling) {
            const { memory } = await cp.call<{ memory: NodeJS.MemoryUsage }>({ cmd: 'memory' });
            for (const k of Object.keys(peakMemory) as (keyof typeof peakMemory)[]) peakMemory[k] = Math.max(peakMemory[k], round(memory[k] / 2 ** 20, 1));
            await sleep(25);
          }
        };
        const sampler = sampleMemory();
        const reload = await cp.call<{ at: string }>({ cmd: 'reload' });
        const snapshot = await snapshotEvent;
        const t0 = Number(BigInt(reload.at)) / 1e6;
        const tSet = Number(BigInt(snapshot.at)) / 1e6;
        const next = snapshot.versions.default!;
        const unchanged = Object.keys(next).filter((type) => next[type] === before[type]);
        const acked = await waitAllAcked(clients, next, 30_000, t0, unchanged);
        sampling = false;
        await sampler;
        const done = acked.at.filter((a): a is number => a !== null);
        const trial: Trial = {
          nodes: count,
          loadMs: round(tSet - t0, 1),
          fromReload: percentiles(done.map((a) => Math.max(0, a - t0))),
          fromCacheSet: percentiles(done.map((a) => Math.max(0, a - tSet))),
          notAcked: acked.at.length - done.length,
          controlPlaneRssMiB: memoryMiB(cp.pid)?.rss ?? NaN,
          controlPlaneCpuSeconds: round((cpuSeconds(cp.pid) ?? 0) - cpu0, 2),
          controlPlaneMemory: peakMemory,
        };
        trials.push(trial);
        const acks = `all ACKed p50 ${trial.fromReload.p50} / p99 ${trial.fromReload.p99} / max ${trial.fromReload.max} ms from reload`;
        const memory = `RSS ${trial.controlPlaneRssMiB} MiB, peaks ${JSON.stringify(peakMemory)}`;
        say(`${count} nodes, push ${t + 1}: snapshot after ${trial.loadMs} ms; ${acks}; ${memory}`);
        await sleep(500);
      }
      const stats1 = await Promise.all(
        clients.map((w) => w.call<{ bytes: number; responses: number; cpu: { user: number; system: number } }>({ cmd: 'stats' })),
      );
      const pushedBytes = stats1.reduce((a, s) => a + s.bytes, 0) - stats0.reduce((a, s) => a + s.bytes, 0);
      const mem = memoryMiB(cp.pid);
      perCount[count] = {
        initialSyncMs,
        clientCpu: round(stats1.reduce((a, s) => a + (s.cpu.user + s.cpu.system) / 1e6, 0), 1),
        bytesPerNodePerPush: Math.round(pushedBytes / count / trialsPerCount),
        peakRssMiB: mem?.peak ?? NaN,
        idleRssMiB: idleRss,
        connectedRssMiB: connectedRss,
        pushPeakRssMiB: Math.max(...trials.filter((t) => t.nodes === count).map((t) => t.controlPlaneMemory.rss)),
      };
      for (const w of clients) await w.call({ cmd: 'close' });
      for (const w of clients) await w.stop();
      await cp.stop();
    }

    // The one-server change, with the same nodes speaking state of the world, then delta.
    const oneChangeNodes = 1000;
    const oneChangePushes = flags.quick ? 2 : 5;
    const oneChange: OneChangeResult[] = [];
    for (const protocol of ['sotw', 'delta'] as const satisfies readonly Protocol[]) {
      oneChange.push(await measureOneChange({ served, serve, env: generatedSecrets(shape), names }, protocol, oneChangeNodes, oneChangePushes));
    }
    const [sotwChange, deltaChange] = oneChange as [OneChangeResult, OneChangeResult];
    const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 1) : NaN);

    const rows = nodeCounts.map((count) => {
      const ts = trials.filter((t) => t.nodes === count);
      const med = (f: (t: Trial) => number) => {
        const v = ts.map(f).sort((a, b) => a - b);
        return v[Math.floor((v.length - 1) / 2)]!;
      };
      const worst = (f: (t: Trial) => number) => Math.max(...ts.map(f));
      const c = perCount[count]!;
      return [
        count,
        ts.length,
        med((t) => t.loadMs),
        med((t) => t.fromReload.p50),
        med((t) => t.fromReload.p99),
        worst((t) => t.fromReload.max),
        med((t) => t.fromCacheSet.p99),
        ts.reduce((a, t) => a + t.notAcked, 0),
        `${c.idleRssMiB} / ${c.connectedRssMiB} / ${c.pushPeakRssMiB} / ${c.peakRssMiB}`,
        med((t) => t.controlPlaneCpuSeconds),
        round(c.bytesPerNodePerPush / 1024, 1),
        c.initialSyncMs,
      ];
    });
    const largest = nodeCounts[nodeCounts.length - 1]!;
    const big = trials.filter((t) => t.nodes === largest);
    const worstMax = Math.max(...big.map((t) => t.fromReload.max));
    const peak = perCount[largest]!.peakRssMiB;
    const targets: TargetCheck[] =
      largest >= 1000
        ? [
            {
              target: '1,000 nodes all ACKed within 2 s of a new artifact',
              measured: `slowest node ${worstMax} ms (worst of ${big.length} pushes)`,
              met: worstMax <= 2000 && big.every((t) => t.notAcked === 0),
            },
            {
              target: 'control-plane RSS ≤ 300 MB with 1,000 nodes',
              measured:
                `peak ${peak} MiB (${round(peak * 1.048576, 0)} MB); ${perCount[largest]!.idleRssMiB} MiB before any node connects, ` +
                `${perCount[largest]!.connectedRssMiB} MiB with 1,000 connected`,
              met: peak * 1.048576 <= 300,
            },
          ]
        : [];
    return {
      benchmark: 'xds',
      title: 'xDS fan-out: simulated Envoys on one control plane, from a new artifact set to every node ACKed',
      command: XDS_COMMAND,
      date: new Date().toISOString(),
      machine: machineInfo(),
      parameters: {
        nodeCounts,
        pushesPerCount: trialsPerCount,
        fleet: `${shape.servers} servers × ${shape.toolsPerServer} tools`,
        resourcesPerNode: resources,
        quietMachine: quiet,
      },
      tables: [
        {
          title: `Per push (median of ${trialsPerCount} pushes; max = the slowest node of any push); times in ms; RSS in MiB; CPU in seconds per push`,
          columns: [
            'nodes',
            'pushes',
            'reload → snapshot',
            'all ACKed p50',
            'all ACKed p99',
            'all ACKed max',
            'p99 from cache set',
            'nodes not ACKed',
            'CP RSS: no nodes / nodes connected / during pushes / peak ever',
            'CP CPU s',
            'KiB per node per push',
            'initial sync of all nodes',
          ],
          rows,
        },
        {
          title:
            `One-server change pushed to ${String(oneChangeNodes)} nodes, state of the world against delta xDS ` +
            `(median of ${String(oneChangePushes)} pushes; max = the slowest node of any push); times in ms from the reload request`,
          columns: [
            'protocol',
            'nodes',
            'KiB per node per push',
            'MiB to all nodes per push',
            'all ACKed p50',
            'all ACKed p99',
            'all ACKed max',
            'nodes not ACKed',
            `CP RSS with ${String(oneChangeNodes)} nodes connected (MiB)`,
            'initial sync of all nodes',
          ],
          rows: [
            ...oneChange.map((r) => [
              r.protocol,
              r.nodes,
              round(r.bytesPerNode / 1024, 2),
              round(r.bytesPerPush / 2 ** 20, 2),
              r.p50,
              r.p99,
              r.max,
              r.notAcked,
              r.connectedRssMiB,
              r.initialSyncMs,
            ]),
            [
              'SotW ÷ delta',
              '',
              ratio(sotwChange.bytesPerNode, deltaChange.bytesPerNode),
              ratio(sotwChange.bytesPerPush, deltaChange.bytesPerPush),
              ratio(sotwChange.p50, deltaChange.p50),
              ratio(sotwChange.p99, deltaChange.p99),
              ratio(sotwChange.max, deltaChange.max),
              '',
              ratio(sotwChange.connectedRssMiB, deltaChange.connectedRssMiB),
              ratio(sotwChange.initialSyncMs, deltaChange.initialSyncMs),
            ],
          ],
        },
      ],
      targets,
      raw: { trials, perCount, oneChange },
      notes: [
        `Each node is a grpc-js ADS client with its own HTTP/2 connection (${nodeCounts.map(processesText).join(', ')}), ` +
          "subscribing to CDS and LDS (wildcard) and to EDS, RDS and SDS by the names in the fleet's compiled xDS; " +
          "it ACKs each response as soon as it arrives and reads only the response's version, type and nonce.",
        'A push swaps two compiled variants of the registry (every type but secrets changes, names stay) into the served folder ' +
          'and asks the control plane to reload; "all ACKed" is when a node has ACKed the new version of every type, ' +
          'through the make-before-break order (clusters and endpoints, then listeners, then routes).',
        `Resources per node: ${Object.entries(resources).map(([k, v]) => `${v} ${k}`).join(', ')}.`,
        'One-server change: the upstream port of one MCP server changes (its cluster and endpoints; the routes that name it keep their names). ' +
          'State-of-the-world nodes receive every resource of each changed type (CDS and LDS are full sets); delta nodes receive the changed resources only. ' +
          'Bytes are those of the DiscoveryResponse / DeltaDiscoveryResponse messages the nodes received, gRPC framing excluded.',
      ],
    };
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  }
}

/** How the simulated nodes of one count are spread over client processes, for the notes. */
const processesText = (n: number) => `${n} nodes in ${n >= 500 ? 2 : 1} process${n >= 500 ? 'es' : ''}`;

/** What one node count measured besides its pushes. */
interface CountSummary {
  initialSyncMs: number;
  clientCpu: number;
  bytesPerNodePerPush: number;
  peakRssMiB: number;
  idleRssMiB: number;
  connectedRssMiB: number;
  pushPeakRssMiB: number;
}
