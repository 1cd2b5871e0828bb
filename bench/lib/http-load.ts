// [worker process] The HTTP load generator of the gateway and policy benchmarks: MCP tools/call
// requests (raw JSON-RPC POSTs on an established MCP session), open loop at a fixed rate or closed
// loop at a fixed concurrency. It runs in its own process so that its CPU is measured apart, and
// reports latency from the moment each request was written to the moment its response ended.
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { percentiles, serveRequests, type Percentiles } from './common.ts';
import { runSchedule } from './schedule.ts';

export interface Target {
  readonly url: string;
  /** Headers of every request (bearer token, upstream credential for the direct call). */
  readonly headers: Readonly<Record<string, string>>;
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
  /** Requests in the first warmupMs are sent but not counted. */
  readonly warmupMs: number;
}

export interface PhaseResult {
  readonly target: string;
  readonly mode: 'open' | 'closed';
  readonly rate?: number;
  readonly concurrency?: number;
  readonly seconds: number;
  readonly completed: number;
  readonly errors: number;
  readonly statuses: Record<string, number>;
  readonly throughput: number;
  /** Milliseconds, from writing the request to the end of its response. */
  readonly latency: Percentiles;
  /** Open loop: how late requests left against their schedule (ms); large values mean the generator could not keep up. */
  readonly scheduleLag?: Percentiles;
  /** Cores this process used during the phase. */
  readonly generatorCpu: number;
  readonly sampleError?: string;
}

const targets = new Map<string, Target & { sessionHeaders: Record<string, string> }>();
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

/** Opens an MCP session on a target (initialize + notifications/initialized), as an MCP client would. */
async function openSession(name: string, target: Target): Promise<string> {
  const url = new URL(target.url);
  const headers = { ...BASE_HEADERS, ...target.headers };
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
  const protocol = init.text.match(/"protocolVersion":"([^"]+)"/)?.[1];
  if (protocol) sessionHeaders['mcp-protocol-version'] = protocol;
  const note = await post(url, sessionHeaders, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  if (note.status !== 202 && note.status !== 200) throw new Error(`${name}: notifications/initialized answered ${note.status}: ${note.text.slice(0, 300)}`);
  targets.set(name, { ...target, sessionHeaders });
  const check = await callOnce(name);
  if (!check.ok) throw new Error(`${name}: a tools/call failed: ${check.status} ${check.text.slice(0, 400)}`);
  return typeof session === 'string' ? session : '';
}

async function callOnce(name: string): Promise<{ ok: boolean; status: number; text: string }> {
  const target = targets.get(name)!;
  const body = JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, ...target.call });
  const res = await post(new URL(target.url), target.sessionHeaders, body);
  return { ok: res.status === target.expect.status && res.text.includes(target.expect.contains), status: res.status, text: res.text };
}

async function runPhase(phase: PhaseRequest): Promise<PhaseResult> {
  const target = targets.get(phase.target);
  if (!target) throw new Error(`no session for target ${phase.target}`);
  const url = new URL(target.url);
  const prefix = `{"jsonrpc":"2.0","method":${JSON.stringify(target.call.method)},"params":${JSON.stringify(target.call.params)},"id":`;
  const latencies: number[] = [];
  const lags: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sampleError: string | undefined;
  const start = performance.now();
  const measureFrom = start + phase.warmupMs;
  const end = measureFrom + phase.durationMs;
  const cpu0 = process.cpuUsage();
  let cpuStart = cpu0;
  let cpuMarked = false;

  const one = async (scheduled: number) => {
    const sent = performance.now();
    const counted = sent >= measureFrom && sent < end;
    if (counted && !cpuMarked) {
      cpuMarked = true;
      cpuStart = process.cpuUsage();
    }
    try {
      const res = await post(url, target.sessionHeaders, `${prefix}${++rpcId}}`);
      const done = performance.now();
      if (!counted) return;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status === target.expect.status && res.text.includes(target.expect.contains)) {
        latencies.push(done - sent);
        if (phase.mode === 'open') lags.push(sent - scheduled);
      } else {
        errors++;
        sampleError ??= `${res.status} ${res.text.slice(0, 300)}`;
      }
    } catch (error) {
      if (!counted) return;
      errors++;
      statuses.error = (statuses.error ?? 0) + 1;
      sampleError ??= error instanceof Error ? error.message : String(error);
    }
  };

  await runSchedule({ mode: phase.mode, rate: phase.rate ?? 100, concurrency: phase.concurrency ?? 16, start, end }, one);
  const cpu = process.cpuUsage(cpuStart);
  const seconds = phase.durationMs / 1000;
  return {
    target: phase.target,
    mode: phase.mode,
    ...(phase.rate !== undefined ? { rate: phase.rate } : {}),
    ...(phase.concurrency !== undefined ? { concurrency: phase.concurrency } : {}),
    seconds,
    completed: latencies.length,
    errors,
    statuses,
    throughput: Math.round((latencies.length / seconds) * 10) / 10,
    latency: percentiles(latencies),
    ...(phase.mode === 'open' ? { scheduleLag: percentiles(lags) } : {}),
    generatorCpu: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100) / 100,
    ...(sampleError ? { sampleError } : {}),
  };
}

serveRequests(async (m) => {
  switch (m.cmd) {
    case 'session':
      return { session: await openSession(m.name as string, m.target as Target) };
    case 'phase':
      return { result: await runPhase(m.phase as PhaseRequest) };
    default:
      throw new Error(`unknown command ${String(m.cmd)}`);
  }
});
process.send?.({ ready: true });
