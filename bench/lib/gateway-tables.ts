// The gateway benchmark's tables and targets, from its measured phases: latency and throughput of
// each path, what the gateway adds over the bare Envoy and over the direct call, and CPU per call.
import { round, type ResultTable, type TargetCheck } from './common.ts';
import type { PhaseResult } from './http-load.ts';

export interface MeasuredPhase extends PhaseResult {
  readonly profile: string;
  /** Cores each process used during the phase. */
  readonly cpu: Readonly<Record<string, number>>;
  readonly background?: number;
}

/** The path a path's overhead is measured against, for each baseline. */
const BASELINES: Readonly<Record<string, { readonly bare?: string; readonly direct?: string }>> = {
  'bare-envoy': { direct: 'direct' },
  gateway: { bare: 'bare-envoy', direct: 'direct' },
  'gateway-ext-authz': { bare: 'bare-envoy', direct: 'direct' },
  aggregated: { direct: 'direct-tickets' },
};

/** A phase whose latency can be compared: some calls completed and none failed. */
const valid = (p: MeasuredPhase) => p.completed > 0 && p.errors === 0;

const signed = (v: number) => `${v >= 0 ? '+' : ''}${round(v, 3)}`;

/** The Envoy that served a path: the bare one on its own path, the gateway's on every other. */
const envoyCores = (p: MeasuredPhase) => (p.target === 'bare-envoy' ? p.cpu.bareEnvoy : p.cpu.envoy) ?? 0;

/** Microseconds of a process's CPU per completed call. */
const perCall = (cores: number | undefined, p: MeasuredPhase) =>
  cores === undefined || p.throughput === 0 || !valid(p) ? '-' : Math.round((cores * 1e6) / p.throughput);

const cpuCell = (p: MeasuredPhase) =>
  `${p.cpu.generator ?? '-'} / ${round(envoyCores(p), 2)} / ${p.cpu.controlPlane ?? '-'} / ${p.cpu.backends ?? '-'} / ${p.background ?? '-'}`;

function finder(phases: readonly MeasuredPhase[]) {
  return (profile: string, target: string | undefined, mode: 'open' | 'closed', rate?: number) =>
    target === undefined
      ? undefined
      : phases.find((p) => p.profile === profile && p.target === target && p.mode === mode && (mode === 'closed' || p.rate === rate));
}

export function gatewayTables(phases: readonly MeasuredPhase[], seconds: number): ResultTable[] {
  const find = finder(phases);
  const added = (p: MeasuredPhase, base: MeasuredPhase | undefined) =>
    base && valid(p) && valid(base) ? `${signed(p.latency.p50 - base.latency.p50)} / ${signed(p.latency.p99 - base.latency.p99)}` : '';
  const ratio = (p: MeasuredPhase, base: MeasuredPhase | undefined) => (base && base.throughput > 0 ? `${round(p.throughput / base.throughput, 2)}×` : '');
  const open = phases.filter((p) => p.mode === 'open');
  const closed = phases.filter((p) => p.mode === 'closed');
  const fixedRows = open.map((p) => {
    const base = BASELINES[p.target] ?? {};
    return [
      p.profile,
      p.target,
      p.rate ?? '',
      p.throughput,
      p.latency.p50,
      p.latency.p90,
      p.latency.p99,
      p.latency.max,
      p.scheduleLag?.p99 ?? '',
      added(p, find(p.profile, base.bare, 'open', p.rate)),
      added(p, find(p.profile, base.direct, 'open', p.rate)),
      p.errors,
      perCall(p.cpu.controlPlane, p),
      perCall(envoyCores(p), p),
      cpuCell(p),
    ];
  });
  const satRows = closed.map((p) => {
    const base = BASELINES[p.target] ?? {};
    return [
      p.profile,
      p.target,
      p.concurrency ?? '',
      p.throughput,
      ratio(p, find(p.profile, base.bare, 'closed')),
      ratio(p, find(p.profile, base.direct, 'closed')),
      p.latency.p50,
      p.latency.p99,
      p.errors,
      perCall(p.cpu.controlPlane, p),
      perCall(envoyCores(p), p),
      cpuCell(p),
    ];
  });
  return [
    {
      title:
        `Fixed rates (open loop, ${seconds} s each): latency in ms from each request's scheduled send time; lag = how late the generator sent (p99); ` +
        'added = this path − the baseline at p50 / p99; µs/call = CPU time per completed call; ' +
        'CPU in cores: generator / Envoy / control plane / MCP servers / other',
      columns: [
        'profile', 'path', 'rate/s', 'calls/s', 'p50', 'p90', 'p99', 'max', 'lag p99', 'added vs bare Envoy', 'added vs direct', 'errors',
        'CP µs/call', 'Envoy µs/call', 'CPU gen/envoy/cp/mcp/other',
      ],
      rows: fixedRows,
    },
    {
      title: `Saturation (closed loop, ${seconds} s): calls completed per second, ratio to each baseline, latency in ms`,
      columns: [
        'profile', 'path', 'concurrency', 'calls/s', 'vs bare Envoy', 'vs direct', 'p50', 'p99', 'errors', 'CP µs/call', 'Envoy µs/call',
        'CPU gen/envoy/cp/mcp/other',
      ],
      rows: satRows,
    },
  ];
}

/** The targets of issue 14, on the demo profile: grant-only calls (decided by RBAC) and calls ext_authz decides. */
export function gatewayTargets(phases: readonly MeasuredPhase[]): TargetCheck[] {
  const find = finder(phases);
  const bare = find('demo', 'bare-envoy', 'open', 500);
  const bareSat = find('demo', 'bare-envoy', 'closed');
  const directSat = find('demo', 'direct', 'closed');
  const grantOnly = find('demo', 'gateway', 'open', 500);
  const grantOnlySat = find('demo', 'gateway', 'closed');
  const extAuthz = find('demo', 'gateway-ext-authz', 'open', 500);
  if (!bare || !bareSat || !directSat || !grantOnly || !grantOnlySat) return [];
  const checks: TargetCheck[] = [];
  // A phase with failed calls meets no target: its latency and throughput leave the failures out.
  const failed = (list: MeasuredPhase[], what: string): boolean => {
    const failing = list.filter((p) => !valid(p));
    if (failing.length === 0) return false;
    const which = failing.map((p) => `${p.target} ${p.mode === 'open' ? `${p.rate}/s` : `c=${p.concurrency}`}: ${p.errors} errors`).join('; ');
    checks.push({ target: `every measured call of the phases below succeeds (${what})`, measured: which, met: false });
    return true;
  };
  const latency = (p: MeasuredPhase, kind: string, p50: number, p99: number) => {
    if (failed([p, bare], `${kind}, latency at 500 calls/s`)) return;
    const addedP50 = round(p.latency.p50 - bare.latency.p50, 3);
    const addedP99 = round(p.latency.p99 - bare.latency.p99, 3);
    checks.push(
      { target: `${kind}: added over bare Envoy, p50 ≤ ${p50} ms at 500 calls/s`, measured: `${signed(addedP50)} ms`, met: addedP50 <= p50 },
      { target: `${kind}: added over bare Envoy, p99 ≤ ${p99} ms at 500 calls/s`, measured: `${signed(addedP99)} ms`, met: addedP99 <= p99 },
    );
  };
  latency(grantOnly, 'grant-only calls (RBAC)', 0.3, 1);
  if (!failed([grantOnlySat, bareSat, directSat], 'grant-only calls, saturation')) {
    const vsBare = round(grantOnlySat.throughput / bareSat.throughput, 3);
    const vsDirect = round(grantOnlySat.throughput / directSat.throughput, 3);
    const cpPerCall = ((grantOnlySat.cpu.controlPlane ?? 0) * 1000) / grantOnlySat.throughput;
    checks.push(
      { target: 'grant-only calls: throughput ≥ 85% of bare Envoy (saturation)', measured: `${round(vsBare * 100, 1)}%`, met: vsBare >= 0.85 },
      { target: 'grant-only calls: throughput ≥ 70% of direct (saturation)', measured: `${round(vsDirect * 100, 1)}%`, met: vsDirect >= 0.7 },
      { target: 'grant-only calls: control-plane CPU ≤ 0.1 ms per call (saturation)', measured: `${round(cpPerCall, 3)} ms`, met: cpPerCall <= 0.1 },
    );
  }
  if (extAuthz) latency(extAuthz, 'calls decided by ext_authz', 1, 3);
  return checks;
}
