// Benchmark 2, policy decisions: the same Envoy, the same Rego and data, with ext_authz answered by
// Gatehouse (the Wasm bundle in Node) and by the OPA-Envoy plugin (Rego in Go), one after the
// other. Measured twice: through Envoy (MCP tools/call, allowed and denied), and as a direct gRPC
// Check benchmark that replays the exact CheckRequest bytes Envoy sent to both servers.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBinary, fromJson, toBinary, toJson } from '@bufbuild/protobuf';
import { Client, credentials, Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { DECISION_ENTRYPOINT, PolicyEngine, readBundle } from '../artifacts/src/policy/engine.ts';
import { envoyRegistry } from '../artifacts/src/envoy-registry.ts';
import { buildPolicyInput } from '../xds-server/src/authz/check-input.ts';
import { encodeCheckResponse } from '../xds-server/src/authz/check-response.ts';
import { checkResponseJson, type Decision } from '../xds-server/src/authz/decision.ts';
import { jsonFromBinary } from '../xds-server/src/proto/json-from-binary.ts';
import { schemas } from '../xds-server/src/proto/messages.ts';
import { freePorts } from '../testkit/ports.ts';
import { tempDir } from '../testkit/repo.ts';
import {
  asyncStep,
  copyPolicies,
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
import { CHECK_PATH, type GrpcPhaseResult } from './lib/grpc-load.ts';
import type { PhaseResult, Target } from './lib/http-load.ts';
import { ensureOpaEnvoyPlugin, OPA_ENVOY_PLUGIN_VERSION, startOpaEnvoyPlugin } from './lib/opa-envoy.ts';
import { startBenchStack } from './lib/stack.ts';
import { BUNDLE_FILE } from '../artifacts/src/layout.ts';
import { basePolicyDir } from '../toolchain/src/package-root.ts';

export const POLICY_COMMAND = 'npm run bench -- policy';

type Server_ = 'gatehouse' | 'opa-envoy';

export async function runPolicyBench(flags: BenchFlags): Promise<BenchResult> {
  const seconds = flags.duration ?? (flags.quick ? 3 : 6);
  // Each phase runs `rounds` times, the two servers alternating; the table keeps, per phase, the
  // round the rest of the machine disturbed least (lowest CPU of other processes).
  const rounds = flags.quick ? 1 : 2;
  const warmupSeconds = flags.quick ? 1 : 2;
  const binary = await ensureOpaEnvoyPlugin();
  const quiet = await waitForQuietMachine();
  say('starting the stack and the OPA-Envoy plugin');
  const profile = flags.profile ? { controlPlaneExecArgv: ['--cpu-prof', '--cpu-prof-dir', 'bench/results/profiles'] } : {};
  const stack = await startBenchStack({ retargetableAuthz: true, ...profile });
  const work = tempDir('gatehouse-bench-opa-envoy-');
  const cleanup: (() => Promise<void>)[] = [() => stack.stop(), asyncStep(() => work.remove())];
  try {
    // The same Rego (the bundle's non-test policies) and the same data.json, plus the wrapper.
    const policiesDir = join(work.path, 'policies');
    copyPolicies(join(stack.root, 'policies'), policiesDir);
    copyPolicies(basePolicyDir(), policiesDir);
    const dataJson = join(work.path, 'data.json');
    writeFileSync(dataJson, JSON.stringify(readBundle(readFileSync(join(stack.artifactsDir, BUNDLE_FILE))).data));
    const [pluginGrpc, pluginHttp, capturePort] = (await freePorts(3)) as [number, number, number];
    const plugin = await startOpaEnvoyPlugin(binary, { workDir: work.path, policiesDir, dataJson, grpcPort: pluginGrpc, httpPort: pluginHttp });
    cleanup.push(() => plugin.stop());
    const address: Record<Server_, string> = { gatehouse: `127.0.0.1:${stack.ports.authz}`, 'opa-envoy': `127.0.0.1:${pluginGrpc}` };
    const serverPid: Record<Server_, number> = { gatehouse: stack.controlPlane.pid, 'opa-envoy': plugin.pid };

    const load = startWorker('lib/http-load.ts');
    cleanup.push(() => load.stop());
    await load.waitFor((m) => m.ready === true);
    const grpcLoad = startWorker('lib/grpc-load.ts');
    cleanup.push(() => grpcLoad.stop());
    await grpcLoad.waitFor((m) => m.ready === true);

    const token = await stack.token('support');
    const url = `${stack.gatewayUrl}/mcp/knowledge`;
    const headers = { authorization: `Bearer ${token}` };
    const targets: Record<string, Target> = {
      allowed: {
        url,
        headers,
        call: { method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'refund' } } },
        expect: { status: 200, contains: '"result"' },
      },
      denied: {
        url,
        headers,
        call: { method: 'tools/call', params: { name: 'update_page', arguments: { id: 'P-1', text: 'x' } } },
        expect: { status: 403, contains: 'has no grant for docs/update_page' },
      },
    };

    // 1. Capture the CheckRequests Envoy sends for an allowed and a denied call.
    say('capturing CheckRequests from Envoy');
    const captured: Buffer[] = [];
    const capture = new Server();
    capture.register(
      CHECK_PATH,
      (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        captured.push(call.request);
        callback(null, OK_RESPONSE);
      },
      (b: Buffer) => b,
      (b: Buffer) => b,
      'unary',
    );
    await new Promise<void>((resolve, reject) => {
      capture.bindAsync(`127.0.0.1:${capturePort}`, ServerCredentials.createInsecure(), (e) => {
        if (e) reject(e);
        else resolve();
      });
    });
    cleanup.push(() => new Promise<void>((resolve) => capture.tryShutdown(() => resolve())));
    await stack.retargetExtAuthz(capturePort);
    for (const [name, target] of Object.entries(targets)) {
      await load
        .call({ cmd: 'session', name: `capture-${name}`, target: { ...target, expect: { status: 200, contains: '' } } })
        .catch((e: unknown) => say(`capture ${name}: ${String(e).slice(0, 300)}`));
    }
    const checkOf = (tool: string) => captured.find((b) => b.includes('tools/call') && b.includes(`"${tool}"`));
    const allowedCheck = checkOf('search_docs');
    const deniedCheck = checkOf('update_page');
    if (!allowedCheck || !deniedCheck) throw new Error(`did not capture both CheckRequests (${captured.length} captured)`);

    // 2. Both servers must decide the captured requests the same way.
    const parity: [Server_, { allowed: DecisionSummary; denied: DecisionSummary }][] = [];
    for (const server of ['gatehouse', 'opa-envoy'] as const) {
      parity.push([server, { allowed: await checkOnce(address[server], allowedCheck), denied: await checkOnce(address[server], deniedCheck) }]);
    }
    const decisions = Object.fromEntries(parity);
    const same = (a: DecisionSummary, b: DecisionSummary) => a.code === b.code && a.httpStatus === b.httpStatus && a.body === b.body;
    const parityOk = same(decisions.gatehouse!.allowed, decisions['opa-envoy']!.allowed) && same(decisions.gatehouse!.denied, decisions['opa-envoy']!.denied);
    // A comparison of two servers that decide differently measures nothing: the run fails.
    if (!parityOk) throw new Error(`Gatehouse and the OPA-Envoy plugin decide the captured requests differently: ${JSON.stringify(decisions)}`);

    // Sessions for the load (opened under Gatehouse's policy).
    await stack.retargetExtAuthz(stack.ports.authz);
    for (const [name, target] of Object.entries(targets)) await load.call({ cmd: 'session', name, target });

    // 3. Through Envoy.
    const envoyPhases: (PhaseResult & { server: Server_; cpu: Record<string, number>; background?: number })[] = [];
    const servers: Server_[] = ['opa-envoy', 'gatehouse'];
    const gate = quietGate();
    const envoyPlan = [
      { target: 'allowed', mode: 'open', rate: 500 },
      { target: 'denied', mode: 'open', rate: 500 },
      { target: 'allowed', mode: 'closed', concurrency: 16 },
      { target: 'denied', mode: 'closed', concurrency: 16 },
    ] as const;
    for (let round_ = 0; round_ < rounds; round_++) for (const server of servers) {
      await stack.retargetExtAuthz(server === 'gatehouse' ? stack.ports.authz : pluginGrpc);
      for (const phase of envoyPlan) {
        await gate();
        const meter = cpuMeter({ generator: load.pid, envoy: stack.envoy.child.pid, authz: serverPid[server], backends: stack.backends.pid });
        const machine = machineMeter();
        const { result } = await load.call<{ result: PhaseResult }>(
          { cmd: 'phase', phase: { ...phase, durationMs: seconds * 1000, warmupMs: warmupSeconds * 1000 } },
          (seconds + warmupSeconds) * 1000 + 60_000,
        );
        const cpu = meter.stop();
        const busy = machine.stop();
        const background = busy === undefined ? undefined : round(Math.max(0, busy - Object.values(cpu).reduce((a, b) => a + b, 0)), 2);
        envoyPhases.push({ ...result, server, cpu, ...(background !== undefined ? { background } : {}) });
        say(`envoy ${server} ${phase.target} ${loadOf(result)}: ${outcome(result)}`);
      }
    }
    await stack.retargetExtAuthz(stack.ports.authz);

    // 4. Direct gRPC Check, the captured bytes.
    const grpcPhases: (GrpcPhaseResult & { server: Server_; requests: string; cpu: Record<string, number>; background?: number })[] = [];
    const grpcPlan = [
      { mode: 'open', rate: 1000 },
      { mode: 'open', rate: 2000 },
      { mode: 'closed', concurrency: 32 },
    ] as const;
    for (let round_ = 0; round_ < rounds; round_++) for (const server of servers) {
      for (const phase of grpcPlan) {
        await gate();
        const meter = cpuMeter({ generator: grpcLoad.pid, authz: serverPid[server] });
        const machine = machineMeter();
        const { result } = await grpcLoad.call<{ result: GrpcPhaseResult }>(
          {
            cmd: 'phase',
            phase: {
              ...phase,
              address: address[server],
              requests: [allowedCheck.toString('base64'), deniedCheck.toString('base64')],
              durationMs: seconds * 1000,
              warmupMs: warmupSeconds * 1000,
              connections: 2,
            },
          },
          (seconds + warmupSeconds) * 1000 + 60_000,
        );
        const cpu = meter.stop();
        const busy = machine.stop();
        const background = busy === undefined ? undefined : round(Math.max(0, busy - Object.values(cpu).reduce((a, b) => a + b, 0)), 2);
        grpcPhases.push({ ...result, server, requests: 'allowed + denied, alternating', cpu, ...(background !== undefined ? { background } : {}) });
        say(`grpc ${server} ${loadOf(result)}: ${outcome(result)}`);
      }
    }
    await grpcLoad.call({ cmd: 'close' });

    // 5. In-process cost of one decision, step by step, with protobuf-es (the reference path) and
    //    with the direct decoder and encoder ext_authz uses; the captured allowed request.
    const steps = await decisionSteps(readFileSync(join(stack.artifactsDir, BUNDLE_FILE)), allowedCheck);

    // Tables and targets, from the least disturbed round of each phase.
    const quietest = <T extends { background?: number }>(list: T[]): T => [...list].sort((a, b) => (a.background ?? 0) - (b.background ?? 0))[0]!;
    const envoyPhasesAll = [...envoyPhases];
    const grpcPhasesAll = [...grpcPhases];
    envoyPhases.length = 0;
    for (const server of servers) {
      for (const phase of envoyPlan) {
        envoyPhases.push(quietest(envoyPhasesAll.filter((x) => x.server === server && x.target === phase.target && x.mode === phase.mode)));
      }
    }
    grpcPhases.length = 0;
    const grpcRate = (phase: (typeof grpcPlan)[number]) => (phase.mode === 'open' ? phase.rate : undefined);
    for (const server of servers) {
      for (const phase of grpcPlan) {
        grpcPhases.push(quietest(grpcPhasesAll.filter((x) => x.server === server && x.mode === phase.mode && x.rate === grpcRate(phase))));
      }
    }
    const envoyRows = envoyPlan.flatMap((phase) =>
      servers.map((server) => {
        const p = envoyPhases.find((x) => x.server === server && x.target === phase.target && x.mode === phase.mode)!;
        return [
          server,
          phase.target,
          phase.mode === 'open' ? `${phase.rate}/s` : `closed c=${phase.concurrency}`,
          p.throughput,
          p.latency.p50,
          p.latency.p99,
          p.errors,
          `${p.cpu.authz ?? '-'}`,
          perDecision(p.cpu.authz, p.throughput),
          `${p.cpu.envoy ?? '-'}`,
          `${p.cpu.generator ?? '-'}`,
          `${p.background ?? '-'}`,
        ];
      }),
    );
    const grpcRows = grpcPlan.flatMap((phase) =>
      servers.map((server) => {
        const p = grpcPhases.find((x) => x.server === server && x.mode === phase.mode && x.rate === grpcRate(phase))!;
        return [
          server,
          phase.mode === 'open' ? `${phase.rate}/s` : `closed c=${phase.concurrency}`,
          p.throughput,
          p.latency.p50,
          p.latency.p99,
          p.errors,
          `${p.cpu.authz ?? '-'}`,
          perDecision(p.cpu.authz, p.throughput),
          `${p.cpu.generator ?? '-'}`,
          `${p.background ?? '-'}`,
        ];
      }),
    );
    const sat = (server: Server_) => grpcPhases.find((p) => p.server === server && p.mode === 'closed')!;
    const fixed = (server: Server_) => grpcPhases.find((p) => p.server === server && p.mode === 'open' && p.rate === 1000)!;
    const envoySat = (server: Server_, target: string) => envoyPhases.find((p) => p.server === server && p.mode === 'closed' && p.target === target)!;
    const envoyFixed = (server: Server_, target: string) => envoyPhases.find((p) => p.server === server && p.mode === 'open' && p.target === target)!;
    const targetsMet: TargetCheck[] = [
      {
        target: 'Gatehouse decisions/s ≥ OPA-Envoy (direct gRPC Check, saturation)',
        measured: `${sat('gatehouse').throughput} vs ${sat('opa-envoy').throughput} (${round(sat('gatehouse').throughput / sat('opa-envoy').throughput, 2)}×)`,
        met: sat('gatehouse').throughput >= sat('opa-envoy').throughput,
      },
      {
        target: 'Gatehouse p99 ≤ OPA-Envoy (direct gRPC Check, 1,000/s)',
        measured: `${fixed('gatehouse').latency.p99} ms vs ${fixed('opa-envoy').latency.p99} ms`,
        met: fixed('gatehouse').latency.p99 <= fixed('opa-envoy').latency.p99,
      },
      {
        target: 'Gatehouse calls/s ≥ OPA-Envoy (through Envoy, denied calls, saturation)',
        measured: `${envoySat('gatehouse', 'denied').throughput} vs ${envoySat('opa-envoy', 'denied').throughput}`,
        met: envoySat('gatehouse', 'denied').throughput >= envoySat('opa-envoy', 'denied').throughput,
      },
      {
        target: 'Gatehouse p99 ≤ OPA-Envoy (through Envoy, allowed calls, 500/s)',
        measured: `${envoyFixed('gatehouse', 'allowed').latency.p99} ms vs ${envoyFixed('opa-envoy', 'allowed').latency.p99} ms`,
        met: envoyFixed('gatehouse', 'allowed').latency.p99 <= envoyFixed('opa-envoy', 'allowed').latency.p99,
      },
    ];
    return {
      benchmark: 'policy',
      title: 'Policy decisions: Gatehouse (Wasm in Node) vs the OPA-Envoy plugin (Rego in Go), same Envoy, same policy',
      command: POLICY_COMMAND,
      date: new Date().toISOString(),
      machine: machineInfo({ opaEnvoyPlugin: OPA_ENVOY_PLUGIN_VERSION }),
      parameters: { secondsPerPhase: seconds, warmupSeconds, rounds, envoyPlan, grpcPlan, grpcConnections: 2, quietMachine: quiet },
      tables: [
        {
          title:
            'Through Envoy (MCP tools/call on /mcp/knowledge; allowed reaches the MCP server, denied is answered by Envoy), ' +
            `${seconds} s per phase; latency in ms; CPU in cores`,
          columns: ['ext_authz', 'call', 'load', 'calls/s', 'p50', 'p99', 'errors', 'CPU authz', 'authz µs CPU / call', 'CPU envoy', 'CPU gen', 'CPU other'],
          rows: envoyRows,
        },
        {
          title:
            'Direct gRPC Check (the CheckRequest bytes Envoy sent, allowed and denied alternating, 2 HTTP/2 connections), ' +
            `${seconds} s per phase; latency in ms; CPU in cores`,
          columns: ['ext_authz', 'load', 'decisions/s', 'p50', 'p99', 'errors', 'CPU authz', 'authz µs CPU / decision', 'CPU gen', 'CPU other'],
          rows: grpcRows,
        },
        {
          title: 'In-process cost of one decision (µs, median of 5 rounds of 5,000 after warm-up; the captured allowed CheckRequest, the bench bundle)',
          columns: ['step', 'protobuf-es (before)', 'direct (now)'],
          rows: steps,
        },
        {
          title: 'Decision parity on the captured requests (gRPC status, HTTP status, body)',
          columns: ['request', 'Gatehouse', 'OPA-Envoy', 'same'],
          rows: (['allowed', 'denied'] as const).map((k) => {
            const [gatehouse, opaEnvoy] = [decisions.gatehouse![k], decisions['opa-envoy']![k]];
            return [k, summary(gatehouse), summary(opaEnvoy), same(gatehouse, opaEnvoy) ? 'yes' : 'NO'];
          }),
        },
      ],
      targets: targetsMet,
      raw: { envoyPhases: envoyPhasesAll, grpcPhases: grpcPhasesAll, decisions, steps },
      notes: [
        'Same Envoy, same listener and filters; only the ext_authz cluster (bench-ext-authz) is pointed at one server or the other, ' +
          'through the artifacts and ADS. Access logs go to the control plane in both runs.',
        'The plugin evaluates bench/policy/opa-envoy/wrapper.rego, which builds input.mcp and input.jwt from the OPA-Envoy input ' +
          '(MCP filter and jwt_authn metadata, context extensions, parsed body) and then evaluates data.gatehouse.authz.decision unchanged; ' +
          'Gatehouse builds the same fields in TypeScript and evaluates the same rule compiled to Wasm.',
        'CPU other = the whole machine\'s busy cores minus the processes measured: work of other programs on the machine during the phase. ' +
          'Each phase ran in every round; the table shows the round with the least CPU other.',
        'authz µs CPU / call = the ext_authz server\'s CPU time divided by the calls it answered: the cost of a decision, ' +
          'less sensitive to the machine\'s noise than latency. ' +
          'Gatehouse\'s figure includes receiving Envoy\'s access logs, which the control plane does in both runs.',
      ],
    };
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  }
}

interface DecisionSummary {
  readonly code: number;
  readonly httpStatus?: number;
  readonly body?: string;
}

const summary = (d: DecisionSummary) =>
  `${d.code === 0 ? 'OK' : `code ${d.code}`}${d.httpStatus ? ` HTTP ${d.httpStatus}` : ''}${d.body ? ` ${d.body.slice(0, 60)}…` : ''}`;

/** A phase's load, for the progress lines: `1000/s` for an open loop, `c=32` for a closed one. */
const loadOf = (r: { readonly mode: 'open' | 'closed'; readonly rate?: number; readonly concurrency?: number }) =>
  r.mode === 'open' ? `${r.rate}/s` : `c=${r.concurrency}`;

/** A phase's outcome, for the progress lines. */
const outcome = (r: { readonly throughput: number; readonly latency: { readonly p50: number; readonly p99: number }; readonly errors: number }) =>
  `${r.throughput}/s p50 ${r.latency.p50} p99 ${r.latency.p99} ms, ${r.errors} errors`;

/** The CheckResponse Envoy gets for an allowed request (status OK), pre-encoded. */
const OK_RESPONSE = Buffer.from([0x0a, 0x00]);

async function checkOnce(address: string, request: Buffer): Promise<DecisionSummary> {
  const client = new Client(address, credentials.createInsecure());
  try {
    const bytes = await new Promise<Buffer>((resolve, reject) =>
      client.makeUnaryRequest(CHECK_PATH, (b: Buffer) => b, (b: Buffer) => b, request, (e, r) => (e ? reject(e) : resolve(r!))),
    );
    const response = fromBinary(schemas.checkResponse(), bytes) as unknown as {
      status?: { code: number };
      httpResponse?: { case?: string; value?: { status?: { code: number }; body?: string } };
    };
    const denied = response.httpResponse?.case === 'deniedResponse' ? response.httpResponse.value : undefined;
    return { code: response.status?.code ?? 0, ...(denied ? { httpStatus: denied.status?.code ?? 0, body: denied.body ?? '' } : {}) };
  } finally {
    client.close();
  }
}

const perDecision = (cores: number | undefined, rate: number) => (cores === undefined || rate <= 0 ? '-' : Math.round((cores / rate) * 1e6));

/** µs per step of one decision, the protobuf-es way and the way ext_authz does it now. */
async function decisionSteps(bundle: Buffer, request: Buffer): Promise<(string | number)[][]> {
  const engine = await PolicyEngine.load(bundle);
  const registry = envoyRegistry();
  const checkRequest = schemas.checkRequest();
  const checkResponse = schemas.checkResponse();
  const attributes = (jsonFromBinary(checkRequest, request, registry) as { attributes: Record<string, unknown> }).attributes;
  const input = buildPolicyInput(attributes);
  const decision = engine.evaluate(DECISION_ENTRYPOINT, input) as Decision;
  const time = (fn: () => unknown) => {
    for (let i = 0; i < 3000; i++) fn();
    const rounds: number[] = [];
    for (let r = 0; r < 5; r++) {
      const started = performance.now();
      for (let i = 0; i < 5000; i++) fn();
      rounds.push(((performance.now() - started) / 5000) * 1000);
    }
    return round(rounds.sort((a, b) => a - b)[2]!, 1);
  };
  const decodeBefore = time(() => toJson(checkRequest, fromBinary(checkRequest, request), { registry }));
  const decodeNow = time(() => jsonFromBinary(checkRequest, request, registry));
  const build = time(() => buildPolicyInput(attributes));
  const evaluate = time(() => engine.evaluate(DECISION_ENTRYPOINT, input));
  const encodeBefore = time(() => toBinary(checkResponse, fromJson(checkResponse, checkResponseJson(decision) as never, { registry })));
  const encodeNow = time(() => encodeCheckResponse(decision, registry));
  return [
    ['CheckRequest bytes → attributes JSON', decodeBefore, decodeNow],
    ['policy input (check-input.ts)', build, build],
    ['Wasm evaluation (opa-wasm, JSON in and out)', evaluate, evaluate],
    ['decision → CheckResponse bytes', encodeBefore, encodeNow],
    ['total', round(decodeBefore + build + evaluate + encodeBefore, 1), round(decodeNow + build + evaluate + encodeNow, 1)],
  ];
}
