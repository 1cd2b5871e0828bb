// Benchmark 1, gateway overhead: an MCP tools/call through Envoy (jwt_authn → mcp → RBAC, or ext_authz
// to Gatehouse's Wasm policy where a rule reads the request → router) against two baselines in the
// same run: the MCP SDK server called directly, and a bare Envoy (the same listener with only the router: the floor of any Envoy data
// path on this machine). Open loop at fixed rates (latency from each request's scheduled send time)
// and closed loop for saturation, over many MCP sessions each with its own caller's token, for two
// backend profiles: the demo servers as they are (a fraction of a millisecond per call) and the same
// with 20 ms of waiting per tool call. The CPU of every process is reported beside latency.
import { dirname } from 'node:path';
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
} from './lib/common.ts';
import { startBareEnvoy } from './lib/bare-envoy.ts';
import { gatewayTables, gatewayTargets, type MeasuredPhase } from './lib/gateway-tables.ts';
import type { PhaseResult, Target } from './lib/http-load.ts';
import { startBenchStack } from './lib/stack.ts';

export const GATEWAY_COMMAND = 'npm run bench -- gateway';

/** A backend profile: how long each tool call waits in the MCP server, and the phases run with it. */
interface Profile {
  readonly name: string;
  readonly toolLatencyMs: number;
  readonly paths: readonly string[];
  readonly rates: readonly number[];
  readonly concurrency: number;
}

export async function runGatewayBench(flags: BenchFlags): Promise<BenchResult> {
  const seconds = flags.duration ?? (flags.quick ? 3 : 6);
  // Every phase runs `rounds` times; the table keeps the round the rest of the machine disturbed least.
  const rounds = flags.quick ? 1 : 2;
  const warmupSeconds = flags.quick ? 1 : 2;
  const sessions = flags.quick ? 16 : 64;
  const profiles: Profile[] = [
    {
      name: 'demo',
      toolLatencyMs: 0,
      paths: ['direct', 'bare-envoy', 'gateway', 'gateway-ext-authz', 'direct-tickets', 'aggregated'],
      rates: [100, 500],
      concurrency: 16,
    },
    { name: 'tool 20 ms', toolLatencyMs: 20, paths: ['direct', 'bare-envoy', 'gateway'], rates: [500], concurrency: 64 },
  ];
  const quiet = await waitForQuietMachine();
  say('starting the stack (control plane, Envoy, bare Envoy, MCP servers, identity provider)');
  const stack = await startBenchStack({
    staticDecisions: true,
    ...(flags.profile ? { controlPlaneExecArgv: ['--cpu-prof', '--cpu-prof-dir', 'bench/results/profiles'] } : {}),
  });
  const load = startWorker('lib/http-load.ts');
  let bare: Awaited<ReturnType<typeof startBareEnvoy>> | undefined;
  try {
    const docsUrl = stack.backendUrls.docs!;
    bare = await startBareEnvoy(stack.artifactsDir, 'default', 'mcp-server-docs', docsUrl, dirname(stack.artifactsDir));
    await load.waitFor((m) => m.ready === true);
    say(`minting ${sessions} tokens, one caller each, and opening ${sessions} MCP sessions per path`);
    const tokens = await Promise.all(Array.from({ length: sessions }, (_, i) => stack.token('support', `agent-${i}`)));
    const bearers = tokens.map((token) => ({ authorization: `Bearer ${token}` }));
    const payers = (await Promise.all(Array.from({ length: sessions }, (_, i) => stack.token('payments', `payer-${i}`)))).map((token) => ({
      authorization: `Bearer ${token}`,
    }));
    const untokened = Array.from({ length: sessions }, () => ({}));
    const tickets = stack.ir.servers.find((s) => s.name === 'tickets')!;
    const ticketsCredential = { [tickets.credential!.header]: stack.secrets.get(tickets.credential!.secretRef)! };
    const expect = { status: 200, contains: '"result"' };
    const call = (name: string) => ({ method: 'tools/call', params: { name, arguments: { query: 'refund' } } });
    const targets: Record<string, Target> = {
      direct: { url: docsUrl, headers: {}, perSession: untokened, call: call('search_docs'), expect },
      'bare-envoy': { url: `${bare.url}${new URL(docsUrl).pathname}`, headers: {}, perSession: untokened, call: call('search_docs'), expect },
      gateway: { url: `${stack.gatewayUrl}/mcp/knowledge`, headers: {}, perSession: bearers, call: call('search_docs'), expect },
      // A tool whose organisation rule reads the arguments (the refund cap): decided by ext_authz on every call.
      'gateway-ext-authz': {
        url: `${stack.gatewayUrl}/mcp/payments-ops`,
        headers: {},
        perSession: payers,
        call: { method: 'tools/call', params: { name: 'issue_refund', arguments: { payment_id: 'P-5001', amount: 10 } } },
        expect,
      },
      'direct-tickets': { url: stack.backendUrls.tickets!, headers: ticketsCredential, perSession: untokened, call: call('search_tickets'), expect },
      aggregated: { url: `${stack.gatewayUrl}/mcp/helpdesk`, headers: {}, perSession: bearers, call: call('tickets__search_tickets'), expect },
    };
    for (const [name, target] of Object.entries(targets)) {
      const started = performance.now();
      await load.call({ cmd: 'session', name, target }, 600_000);
      say(`${name}: ${sessions} sessions open (${Math.round(performance.now() - started)} ms)`);
    }

    const pids = {
      generator: load.pid,
      envoy: stack.envoy.child.pid,
      bareEnvoy: bare.envoy.child.pid,
      controlPlane: stack.controlPlane.pid,
      backends: stack.backends.pid,
    };
    const all: MeasuredPhase[] = [];
    const gate = quietGate();
    const run = async (profile: Profile, phase: Record<string, unknown>) => {
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
      all.push({ ...result, profile: profile.name, cpu, ...(background !== undefined ? { background } : {}) });
      const load_ = result.mode === 'open' ? `${result.rate}/s` : `c=${result.concurrency}`;
      say(
        `[${profile.name}] ${result.target} ${load_}: ${result.throughput}/s p50 ${result.latency.p50} ms p99 ${result.latency.p99} ms` +
          `${result.scheduleLag ? ` (lag p99 ${result.scheduleLag.p99})` : ''}, ${result.errors} errors`,
      );
    };
    for (let r = 0; r < rounds; r++) {
      for (const profile of profiles) {
        await stack.setToolLatency(profile.toolLatencyMs);
        for (const rate of profile.rates) for (const target of profile.paths) await run(profile, { target, mode: 'open', rate });
        for (const target of profile.paths) await run(profile, { target, mode: 'closed', concurrency: profile.concurrency });
      }
    }
    await stack.setToolLatency(0);
    const quietest = <T extends { background?: number }>(list: T[]): T => [...list].sort((a, b) => (a.background ?? 0) - (b.background ?? 0))[0]!;
    const phaseKey = (p: MeasuredPhase) => `${p.profile} ${p.target} ${p.mode} ${p.rate ?? p.concurrency}`;
    const phases = [...new Set(all.map(phaseKey))].map((key) => quietest(all.filter((p) => phaseKey(p) === key)));
    const tables = gatewayTables(phases, seconds);

    return {
      benchmark: 'gateway',
      title: 'Gateway overhead: MCP tools/call through the Gatehouse gateway (RBAC or ext_authz) vs a bare Envoy and vs the MCP server directly',
      command: GATEWAY_COMMAND,
      date: new Date().toISOString(),
      machine: machineInfo(),
      parameters: {
        secondsPerPhase: seconds,
        warmupSeconds,
        rounds,
        quietMachine: quiet,
        sessionsPerPath: sessions,
        tokens: sessions,
        profiles,
        tools: {
          single: 'docs/search_docs on /mcp/knowledge (decided by Envoy RBAC)',
          extAuthz: 'payments/issue_refund on /mcp/payments-ops (decided by ext_authz: the refund cap reads the arguments)',
          aggregated: 'tickets/search_tickets on /mcp/helpdesk (mcp_router, credential injector; decided by Envoy RBAC)',
        },
        staticDecisions: 'rbac',
        runtime: 'compiled JavaScript (bench/.build) unless BENCH_TSX=1',
      },
      tables,
      targets: gatewayTargets(phases),
      raw: { phases: all },
      notes: [
        'direct = a raw JSON-RPC POST to the docs MCP SDK server; bare-envoy = a second Envoy (same binary, --concurrency 2) whose listener is the compiled ' +
          'gateway listener with only the router, in front of the same server; gateway = search_docs on /mcp/knowledge through the full chain ' +
          '(jwt_authn verifying the caller\'s token and the session id, mcp, RBAC deciding the call with the session check, Envoy\'s call-outcome script, ' +
          'router; no ext_authz call); gateway-ext-authz = issue_refund of 10 on /mcp/payments-ops, whose rule reads the arguments, so ext_authz ' +
          '(Gatehouse\'s Wasm policy) decides every call (its baselines are the docs server\'s paths: the payments server is the same kind of ' +
          'MCP SDK server); direct-tickets = the tickets server called with its credential; aggregated = tickets__search_tickets on ' +
          '/mcp/helpdesk (mcp_router on an internal listener, the credential injected by Envoy; decided by RBAC).',
        `Every path spreads its calls over ${sessions} MCP sessions; through the gateway each session is a different caller with its own token ` +
          '(Envoy caches verified tokens, 4,096 of them: with real clients a token is reused for its session too).',
        'Latency counts from each request\'s scheduled send time (open loop), so a generator or server falling behind shows as latency; "lag p99" is how ' +
          'late the generator wrote requests against the schedule (included in the latency). Calls/s counts calls completed in the measured window.',
        'CP µs/call and Envoy µs/call = that process\'s CPU time divided by the calls completed (the gateway\'s Envoy, or the bare Envoy on its path).',
        'Every process shares the same 2 cores: the load generator, both Envoys, the control plane and the MCP servers. "other" is the CPU of the rest ' +
          'of the machine during the phase; each phase ran in every round and the table shows the round with the least of it.',
      ],
    };
  } finally {
    await load.stop();
    await bare?.envoy.stop();
    await stack.stop();
  }
}
