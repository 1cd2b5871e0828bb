// [worker process] The gRPC load generator of the policy benchmark: replays the exact bytes of
// CheckRequests that Envoy sent (captured through the real data path) to an ext_authz server,
// open loop at a fixed rate or closed loop at a fixed concurrency, and reports latency from
// writing each call to receiving its response.
import { Client, credentials, type ServiceError } from '@grpc/grpc-js';
import { percentiles, serveRequests, type Percentiles } from './common.ts';
import { runSchedule } from './schedule.ts';

export const CHECK_PATH = '/envoy.service.auth.v3.Authorization/Check';
const identity = (b: Buffer) => b;

export interface GrpcPhase {
  readonly address: string;
  /** base64 of the CheckRequest bytes, sent round robin. */
  readonly requests: readonly string[];
  readonly mode: 'open' | 'closed';
  readonly rate?: number;
  readonly concurrency?: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Separate HTTP/2 connections to spread the calls over (Envoy uses one or a few per worker). */
  readonly connections?: number;
}

export interface GrpcPhaseResult {
  readonly mode: 'open' | 'closed';
  readonly rate?: number;
  readonly concurrency?: number;
  readonly seconds: number;
  readonly completed: number;
  readonly errors: number;
  readonly throughput: number;
  readonly latency: Percentiles;
  readonly scheduleLag?: Percentiles;
  readonly generatorCpu: number;
  readonly sampleError?: string;
}

const clients = new Map<string, Client[]>();

function clientsFor(address: string, count: number): Client[] {
  const key = `${address}#${count}`;
  let list = clients.get(key);
  if (!list) {
    // A distinct channel option per client keeps grpc-js from sharing one subchannel between them.
    list = Array.from({ length: count }, (_, i) => new Client(address, credentials.createInsecure(), { 'grpc.bench_channel': i }));
    clients.set(key, list);
  }
  return list;
}

function call(client: Client, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(CHECK_PATH, identity, identity, bytes, (error: ServiceError | null, response?: Buffer) => {
      if (error) reject(error);
      else resolve(response!);
    });
  });
}

async function runPhase(phase: GrpcPhase): Promise<GrpcPhaseResult> {
  const requests = phase.requests.map((r) => Buffer.from(r, 'base64'));
  const list = clientsFor(phase.address, phase.connections ?? 1);
  // Connect and warm every channel first.
  await Promise.all(list.map((c) => call(c, requests[0]!)));
  const latencies: number[] = [];
  const lags: number[] = [];
  let errors = 0;
  let sampleError: string | undefined;
  let n = 0;
  const start = performance.now();
  const measureFrom = start + phase.warmupMs;
  const end = measureFrom + phase.durationMs;
  let cpuStart = process.cpuUsage();
  let cpuMarked = false;
  const one = async (scheduled: number) => {
    const i = n++;
    const sent = performance.now();
    const counted = sent >= measureFrom && sent < end;
    if (counted && !cpuMarked) {
      cpuMarked = true;
      cpuStart = process.cpuUsage();
    }
    try {
      await call(list[i % list.length]!, requests[i % requests.length]!);
      if (!counted) return;
      latencies.push(performance.now() - sent);
      if (phase.mode === 'open') lags.push(sent - scheduled);
    } catch (error) {
      if (!counted) return;
      errors++;
      // A gRPC failure carries a status code; anything else thrown has none.
      const code = (error as Partial<ServiceError>).code;
      sampleError ??= `${code ?? ''} ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  await runSchedule({ mode: phase.mode, rate: phase.rate ?? 1000, concurrency: phase.concurrency ?? 32, start, end }, one);
  const cpu = process.cpuUsage(cpuStart);
  const seconds = phase.durationMs / 1000;
  return {
    mode: phase.mode,
    ...(phase.rate !== undefined ? { rate: phase.rate } : {}),
    ...(phase.concurrency !== undefined ? { concurrency: phase.concurrency } : {}),
    seconds,
    completed: latencies.length,
    errors,
    throughput: Math.round((latencies.length / seconds) * 10) / 10,
    latency: percentiles(latencies),
    ...(phase.mode === 'open' ? { scheduleLag: percentiles(lags) } : {}),
    generatorCpu: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100) / 100,
    ...(sampleError ? { sampleError } : {}),
  };
}

serveRequests(async (m) => {
  switch (m.cmd) {
    case 'phase':
      return { result: await runPhase(m.phase as GrpcPhase) };
    case 'close':
      for (const list of clients.values()) for (const c of list) c.close();
      clients.clear();
      return {};
    default:
      throw new Error(`unknown command ${String(m.cmd)}`);
  }
});
process.send?.({ ready: true });
