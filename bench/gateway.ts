// Benchmark 1, gateway overhead: an MCP tools/call through Envoy (jwt_authn → mcp → ext_authz to
// Gatehouse's Wasm policy → router) against the same MCP SDK server called directly, at fixed
// request rates (open loop) and at saturation (closed loop). Latency is measured at the client, in
// a load-generator process of its own; the CPU of every process is reported beside it.
import {
  cpuMeter,
  machineInfo,
  machineMeter,
  round,
  say,
  startWorker,
  quietGate,
  waitForQuietMachine,
  type BenchFlags,
  type BenchResult,
  type TargetCheck,
} from './lib/common.ts';
import type { PhaseResult, Target } from './lib/http-load.ts';
import { startBenchStack } from './lib/stack.ts';

export const GATEWAY_COMMAND = 'npm run bench -- gateway';

export async function runGatewayBench(flags: BenchFlags): Promise<BenchResult> {
  const seconds = flags.duration ?? (flags.quick ? 3 : 6);
  // Every phase runs `rounds` times; the table keeps the round the rest of the machine disturbed least.
  const rounds = flags.quick ? 1 : 2;
  const warmupSeconds = flags.quick ? 1 : 2;
  const rates = [100, 500];
  const concurrency = 16;
  const quiet = await waitForQuietMachine();
  say('starting the stack (control plane, Envoy, MCP servers, identity provider)');
  const stack = await startBenchStack(flags.profile ? { controlPlaneExecArgv: ['--cpu-prof', '--cpu-prof-dir', 'bench/results/profiles'] } : {});
  const load = startWorker('lib/http-load.ts');
  try {
    await load.waitFor((m) => m.ready === true);
    const token = await stack.token('support');
    const bearer = { authorization: `Bearer ${token}` };
    const expect = { status: 200, contains: '"result"' };
    const query = { query: 'refund' };
    const searchDocs = (name: string) => ({ method: 'tools/call', params: { name, arguments: query } });
    const targets: Record<string, Target> = {
      direct: { url: stack.backendUrls.docs!, headers: {}, call: searchDocs('search_docs'), expect },
      gateway: { url: `${stack.gatewayUrl}/mcp/knowledge`, headers: bearer, call: searchDocs('search_docs'), expect },
      aggregated: { url: `${stack.gatewayUrl}/mcp/helpdesk`, headers: bearer, call: searchDocs('docs__search_docs'), expect },
    };
    for (const [name, target] of Object.entries(targets)) await load.call({ cmd: 'session', name, target });

    const pids = { generator: load.pid, envoy: stack.envoy.child.pid, controlPlane: stack.controlPlane.pid, backends: stack.backends.pid };
    const all: (PhaseResult & { cpu: Record<string, number>; background?: number })[] = [];
    const gate = quietGate();
    const run = async (phase: Record<string, unknown>) => {
      await gate();
      const meter = cpuMeter(pids);
      const machine = machineMeter();
      const { result } = await load.call<{ result: PhaseResult }>(
        { cmd: 'phase', phase: { ...phase, durationMs: seconds * 1000, warmupMs: warmupSeconds * 1000 } },
        (seconds + warmupSeconds) * 1000 + 60_000,
      );
      const cpu = meter.stop();
      const busy = machine.stop();
      const background = busy === undefined ? undefined : round(Math.max(0, busy - Object.values(cpu).reduce((a, b) => a + b, 0)), 2);
      all.push({ ...result, cpu, ...(background !== undefined ? { background } : {}) });
      const rateOrConcurrency = result.mode === 'open' ? `${result.rate}/s` : `c=${result.concurrency}`;
      say(`${result.target} ${rateOrConcurrency}: ${result.throughput}/s p50 ${result.latency.p50} ms p99 ${result.latency.p99} ms, ${result.errors} errors`);
      return result;
    };
    for (let r = 0; r < rounds; r++) {
      for (const rate of rates) {
        for (const target of Object.keys(targets)) await run({ target, mode: 'open', rate });
      }
      for (const target of Object.keys(targets)) await run({ target, mode: 'closed', concurrency });
    }
    const quietest = <T extends { background?: number }>(list: T[]): T => [...list].sort((a, b) => (a.background ?? 0) - (b.background ?? 0))[0]!;
    const phaseKey = (p: PhaseResult) => `${p.target} ${p.mode} ${p.rate ?? p.concurrency}`;
    const phases = [...new Set(all.map(phaseKey))].map((key) => quietest(all.filter((p) => phaseKey(p) === key)));

    const find = (target: string, mode: 'open' | 'closed', rate?: number) =>
      phases.find((p) => p.target === target && p.mode === mode && (rate === undefined || p.rate === rate))!;
    const cpuCell = (p: { cpu: Record<string, number>; background?: number }) =>
      `${p.cpu.generator ?? '-'} / ${p.cpu.envoy ?? '-'} / ${p.cpu.controlPlane ?? '-'} / ${p.cpu.backends ?? '-'} / ${p.background ?? '-'}`;
    const fixedRows = rates.flatMap((rate) =>
      Object.keys(targets).map((target) => {
        const p = find(target, 'open', rate);
        const d = find('direct', 'open', rate);
        const signed = (v: number) => `${v >= 0 ? '+' : ''}${round(v, 3)}`;
        const added = target === 'direct' ? '' : `${signed(p.latency.p50 - d.latency.p50)} / ${signed(p.latency.p99 - d.latency.p99)}`;
        return [target, rate, p.throughput, p.latency.p50, p.latency.p90, p.latency.p99, p.latency.max, added, p.errors, cpuCell(p)];
      }),
    );
    const satRows = Object.keys(targets).map((target) => {
      const p = find(target, 'closed');
      const d = find('direct', 'closed');
      return [target, concurrency, p.throughput, `${round(p.throughput / d.throughput, 2)}×`, p.latency.p50, p.latency.p99, p.errors, cpuCell(p)];
    });

    const at500 = find('gateway', 'open', 500);
    const direct500 = find('direct', 'open', 500);
    const addedP50 = round(at500.latency.p50 - direct500.latency.p50, 3);
    const addedP99 = round(at500.latency.p99 - direct500.latency.p99, 3);
    const ratio = round(find('gateway', 'closed').throughput / find('direct', 'closed').throughput, 3);
    const targetsMet: TargetCheck[] = [
      { target: 'added p50 ≤ 1 ms at 500 calls/s (single-member virtual server)', measured: `${addedP50 >= 0 ? '+' : ''}${addedP50} ms`, met: addedP50 <= 1 },
      { target: 'added p99 ≤ 3 ms at 500 calls/s (single-member virtual server)', measured: `${addedP99 >= 0 ? '+' : ''}${addedP99} ms`, met: addedP99 <= 3 },
      { target: 'throughput through the gateway ≥ 70% of direct (saturation)', measured: `${round(ratio * 100, 1)}%`, met: ratio >= 0.7 },
    ];
    return {
      benchmark: 'gateway',
      title: 'Gateway overhead: MCP tools/call through Envoy + ext_authz (Gatehouse) vs the MCP server directly',
      command: GATEWAY_COMMAND,
      date: new Date().toISOString(),
      machine: machineInfo(),
      parameters: {
        secondsPerPhase: seconds,
        warmupSeconds,
        rounds,
        quietMachine: quiet,
        rates,
        saturationConcurrency: concurrency,
        tool: 'docs/search_docs',
        singleMember: 'knowledge',
        aggregated: 'helpdesk (mcp_router)',
      },
      tables: [
        {
          title:
            `Fixed rates (open loop, ${seconds} s each): latency in ms at the client; added = gateway − direct at p50 / p99; ` +
            'CPU in cores: generator / Envoy / control plane / MCP servers / other processes',
          columns: ['path', 'rate/s', 'achieved/s', 'p50', 'p90', 'p99', 'max', 'added p50 / p99', 'errors', 'CPU gen/envoy/cp/mcp/other'],
          rows: fixedRows,
        },
        {
          title: `Saturation (closed loop, ${concurrency} concurrent calls, ${seconds} s): calls/s, ratio to direct, latency in ms`,
          columns: ['path', 'concurrency', 'calls/s', 'vs direct', 'p50', 'p99', 'errors', 'CPU gen/envoy/cp/mcp/other'],
          rows: satRows,
        },
      ],
      targets: targetsMet,
      raw: { phases: all },
      notes: [
        'direct = a raw JSON-RPC POST to the docs MCP SDK server on an established session; ' +
          'gateway = /mcp/knowledge (one member, Envoy router); aggregated = /mcp/helpdesk (mcp_router on an internal listener).',
        'Every process shares the same 2 cores: the load generator, Envoy (--concurrency 2), the control plane and the MCP servers. ' +
          '"other" is the CPU of the rest of the machine during the phase; each phase ran in every round and the table shows the round with the least of it.',
      ],
    };
  } finally {
    await load.stop();
    await stack.stop();
  }
}
