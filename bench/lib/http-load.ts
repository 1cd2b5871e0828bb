// [worker process] The HTTP load generator of the gateway and policy benchmarks: MCP tools/call
// requests (raw JSON-RPC POSTs on established MCP sessions, taken in turn), open loop at a fixed
// rate or closed loop at a fixed concurrency. It runs in its own process so that its CPU is
// measured apart. Latency counts from each request's scheduled send time, not from when it was
// written (no coordinated omission: a generator or a server that falls behind shows up as
// latency), and throughput counts the calls completed within the measured window.
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { serveRequests, type Percentiles } from './common.ts';
import { phaseTally } from './phase-tally.ts';
import { runSchedule } from './schedule.ts';

export interface Target {
  readonly url: string;
  /** Headers of every request (the upstream credential for a direct call, a bearer token). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * One MCP session is opened per entry (its headers merged over `headers`: each caller's own
   * token), and requests take the sessions in turn; absent, a single session.
   */
  readonly perSession?: readonly Readonly<Record<string, string>>[];
  /** The JSON-RPC request to send; `id` is replaced per request. */
  readonly call: { readonly method: string; readonly params: unknown };
  /** What a successful response contains; anything else counts as an error. */
  readonly expect: { readonly status: number; readonly contains: string };
}

export interface PhaseRequest {
  readonly target: string;
  readonly mode: 'open' | 'closed';
  readonly rate?: number;
  readonly concurrency?: number;
  readonly durationMs: number;
  /** Requests scheduled in the first warmupMs are sent but not counted. */
  readonly warmupMs: number;
}

export interface PhaseResult {
  readonly target: string;
  readonly mode: 'open' | 'closed';
  readonly rate?: number;
  readonly concurrency?: number;
  readonly seconds: number;
  /** MCP sessions the requests were spread over. */
  readonly sessions: number;
  readonly completed: number;
  readonly errors: number;
  readonly statuses: Record<string, number>;
  /** Calls completed successfully within the measured window, per second. */
  readonly throughput: number;
  /** Milliseconds, from the request's scheduled send time (open loop; closed loop: its send time) to the end of its response. */
  readonly latency: Percentiles;
  /** Milliseconds, from writing the request to the end of its response (what a generator without a schedule would report). */
  readonly serviceTime: Percentiles;
  /** Open loop: how late requests left against their schedule (ms), included in `latency`. */
  readonly scheduleLag?: Percentiles;
  /** Cores this process used during the phase. */
  readonly generatorCpu: number;
  readonly sampleError?: string;
}

const targets = new Map<string, Target & { sessions: Record<string, string>[] }>();
const agent = new Agent({ keepAlive: true, maxSockets: 512, keepAliveMsecs: 10_000 });
let rpcId = 1000;

function post(url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const BASE_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** Opens an MCP session (initialize + notifications/initialized), as an MCP client would; returns the headers of its requests. */
async function openOneSession(name: string, url: URL, headers: Record<string, string>): Promise<Record<string, string>> {
  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'gatehouse-bench', version: '1' } },
  };
  const init = await post(url, headers, JSON.stringify(initialize));
  if (init.status !== 200) throw new Error(`${name}: initialize answered ${init.status}: ${init.text.slice(0, 300)}`);
  const session = init.headers['mcp-session-id'];
  const sessionHeaders: Record<string, string> = { ...headers, ...(typeof session === 'string' ? { 'mcp-session-id': session } : {}) };
  const protocol = /"protocolVersion":"([^"]+)"/.exec(init.text)?.[1];
  if (protocol) sessionHeaders['mcp-protocol-version'] = protocol;
  const note = await post(url, sessionHeaders, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  if (note.status !== 202 && note.status !== 200) throw new Error(`${name}: notifications/initialized answered ${note.status}: ${note.text.slice(0, 300)}`);
  return sessionHeaders;
}

/** Opens the target's sessions (a few at a time) and checks a tools/call on each. */
async function openSessions(name: string, target: Target): Promise<number> {
  const url = new URL(target.url);
  const perSession = target.perSession && target.perSession.length > 0 ? target.perSession : [{}];
  const sessions: Record<string, string>[] = [];
  for (let i = 0; i < perSession.length; i += 8) {
    const batch = perSession.slice(i, i + 8).map((extra) => openOneSession(name, url, { ...BASE_HEADERS, ...target.headers, ...extra }));
    sessions.push(...(await Promise.all(batch)));
  }
  targets.set(name, { ...target, sessions });
  for (const headers of sessions) {
    const check = await callOnce(name, headers);
    if (!check.ok) throw new Error(`${name}: a tools/call failed: ${check.status} ${check.text.slice(0, 400)}`);
  }
  return sessions.length;
}

async function callOnce(name: string, headers: Record<string, string>): Promise<{ ok: boolean; status: number; text: string }> {
  const target = targets.get(name)!;
  const body = JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, ...target.call });
  const res = await post(new URL(target.url), headers, body);
  return { ok: res.status === target.expect.status && res.text.includes(target.expect.contains), status: res.status, text: res.text };
}

async function runPhase(phase: PhaseRequest): Promise<PhaseResult> {
  const target = targets.get(phase.target);
  if (!target) throw new Error(`no session for target ${phase.target}`);
  const url = new URL(target.url);
  const prefix = `{"jsonrpc":"2.0","method":${JSON.stringify(target.call.method)},"params":${JSON.stringify(target.call.params)},"id":`;
  const statuses: Record<string, number> = {};
  let sampleError: string | undefined;
  let next = 0;
  const start = performance.now();
  const measureFrom = start + phase.warmupMs;
  const end = measureFrom + phase.durationMs;
  const tally = phaseTally(measureFrom, end);
  let cpuStart = process.cpuUsage();
  let cpuMarked = false;

  const one = async (scheduled: number) => {
    const sent = performance.now();
    const counted = tally.counts(scheduled);
    if (counted && !cpuMarked) {
      cpuMarked = true;
      cpuStart = process.cpuUsage();
    }
    const headers = target.sessions[next++ % target.sessions.length]!;
    try {
      const res = await post(url, headers, `${prefix}${++rpcId}}`);
      const ok = res.status === target.expect.status && res.text.includes(target.expect.contains);
      tally.record({ scheduled, sent, done: performance.now(), ok });
      if (!counted) return;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (!ok) sampleError ??= `${res.status} ${res.text.slice(0, 300)}`;
    } catch (error) {
      tally.fail(scheduled);
      if (!counted) return;
      statuses.error = (statuses.error ?? 0) + 1;
      sampleError ??= error instanceof Error ? error.message : String(error);
    }
  };

  await runSchedule({ mode: phase.mode, rate: phase.rate ?? 100, concurrency: phase.concurrency ?? 16, start, end }, one);
  const cpu = process.cpuUsage(cpuStart);
  const seconds = phase.durationMs / 1000;
  const { scheduleLag, ...summary } = tally.summary();
  return {
    target: phase.target,
    mode: phase.mode,
    ...(phase.rate !== undefined ? { rate: phase.rate } : {}),
    ...(phase.concurrency !== undefined ? { concurrency: phase.concurrency } : {}),
    seconds,
    sessions: target.sessions.length,
    statuses,
    ...summary,
    ...(phase.mode === 'open' ? { scheduleLag } : {}),
    generatorCpu: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100) / 100,
    ...(sampleError ? { sampleError } : {}),
  };
}

serveRequests(async (m) => {
  switch (m.cmd) {
    case 'session':
      return { sessions: await openSessions(m.name as string, m.target as Target) };
    case 'phase':
      return { result: await runPhase(m.phase as PhaseRequest) };
    default:
      throw new Error(`unknown command ${String(m.cmd)}`);
  }
});
process.send?.({ ready: true });
