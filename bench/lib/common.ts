// Shared pieces of the benchmarks: flags, machine facts, percentiles, per-process CPU and memory
// from /proc, child processes that speak JSON over IPC, and the result files.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT, toolPath } from '../../toolchain/src/tools.ts';

export const BENCH_DIR = join(PROJECT_ROOT, 'bench');
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/** Flags every benchmark understands: `--duration S` (seconds per measured phase), `--quick`, `--profile`. */
export interface BenchFlags {
  readonly duration?: number;
  readonly quick: boolean;
  readonly profile: boolean;
  readonly only?: string;
  readonly rest: readonly string[];
}

export function parseBenchFlags(argv: readonly string[]): BenchFlags {
  let duration: number | undefined;
  let quick = false;
  let profile = false;
  let only: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--duration') {
      duration = Number(argv[++i]);
      if (!Number.isFinite(duration) || duration <= 0 || duration > 600) throw new Error('--duration takes seconds, 1 to 600');
    } else if (arg === '--quick') quick = true;
    else if (arg === '--profile') profile = true;
    else if (arg === '--only') only = argv[++i];
    else rest.push(arg);
  }
  return { ...(duration !== undefined ? { duration } : {}), quick, profile, ...(only ? { only } : {}), rest };
}

// ---------------------------------------------------------------------------------------------
// Machine

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly os: string;
  readonly node: string;
  readonly envoy?: string;
  readonly opa?: string;
  readonly opaEnvoyPlugin?: string;
}

function firstLine(command: string, args: string[]): string | undefined {
  try {
    const out = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    return out.trim().split('\n')[0];
  } catch {
    return undefined;
  }
}

export function machineInfo(extra: { opaEnvoyPlugin?: string } = {}): MachineInfo {
  const model = cpus()[0]?.model ?? 'unknown';
  let os: string = process.platform;
  try {
    os = `${process.platform} ${readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()}`;
  } catch {
    // not Linux
  }
  const envoyVersion = firstLine(toolPath('envoy'), ['--version'])?.match(/\/(\d+\.\d+\.\d+)\//)?.[1];
  const opaVersion = firstLine(toolPath('opa'), ['version'])?.replace(/^Version:\s*/, '');
  return {
    cpuModel: model.trim(),
    cores: cpus().length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os,
    node: process.version,
    ...(envoyVersion ? { envoy: envoyVersion } : {}),
    ...(opaVersion ? { opa: opaVersion } : {}),
    ...(extra.opaEnvoyPlugin ? { opaEnvoyPlugin: extra.opaEnvoyPlugin } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics

export interface Percentiles {
  readonly count: number;
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** Percentiles (nearest rank) of a sample, in the sample's unit, rounded to 3 decimals. */
export function percentiles(values: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const at = (q: number) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!);
  let sum = 0;
  for (const v of sorted) sum += v;
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return {
    count: n,
    min: r(at(0)),
    p50: r(at(0.5)),
    p90: r(at(0.9)),
    p99: r(at(0.99)),
    p999: r(at(0.999)),
    max: r(n ? sorted[n - 1]! : 0),
    mean: r(n ? sum / n : 0),
  };
}

export const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------------------------------------
// Processes: CPU time and memory from /proc (Linux)

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, or undefined when it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

/** Resident set size and its peak (VmHWM), in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
    return { rss: round(kib('VmRSS') / 1024, 1), peak: round(kib('VmHWM') / 1024, 1) };
  } catch {
    return undefined;
  }
}

/** Measures the CPU used by named processes over an interval: call `stop()` for cores used (1.0 = one core busy). */
export function cpuMeter(processes: Readonly<Record<string, number | undefined>>): { stop(): Record<string, number> } {
  const started = performance.now();
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, pid ? cpuSeconds(pid) : undefined]));
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000;
      const out: Record<string, number> = {};
      for (const [name, pid] of Object.entries(processes)) {
        const a = before[name];
        const b = pid ? cpuSeconds(pid) : undefined;
        if (a !== undefined && b !== undefined) out[name] = round((b - a) / seconds, 2);
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one a benchmark starts is tracked, so that an interrupted run stops them.

const tracked = new Set<ChildProcess>();

export function trackChild(child: ChildProcess): void {
  tracked.add(child);
  child.once('exit', () => tracked.delete(child));
}

/** Kills (SIGKILL) every tracked child still running: for an interrupted run. */
export function killTrackedChildren(): void {
  for (const child of tracked) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/**
 * A synchronous step (removing a temporary folder) for a benchmark's list of asynchronous cleanup steps:
 * it runs when called, and what it throws becomes a rejection, which the cleanup loop ignores like any other.
 */
export function asyncStep(step: () => void): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      step();
      resolve();
    });
}

// Child processes speaking JSON messages over IPC

export interface Worker {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Sends a request and resolves with the reply carrying the same id. */
  call<T = unknown>(message: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Resolves with the first message satisfying `match`. */
  waitFor<T = unknown>(match: (message: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** Where `buildCompiledBench` writes the compiled JavaScript of the sources and of bench/ (bench/tsconfig.build.json). */
export const COMPILED_DIR = join(BENCH_DIR, '.build');
let compiled = false;

/**
 * Compiles the sources and the benchmarks to JavaScript (emit only, as `npm run build` does for the
 * package), so that every worker process runs what an installed `gatehouse serve` runs rather than
 * the TypeScript loader (whose thread and transpiled modules cost each process about 30 MiB).
 * BENCH_TSX=1 keeps the loader (for a quick edit-and-run).
 */
export function buildCompiledBench(): void {
  if (process.env.BENCH_TSX === '1') return;
  const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(BENCH_DIR, 'tsconfig.build.json')], { stdio: 'inherit', timeout: 300_000 });
  compiled = true;
}

/** The script a worker runs: the compiled module after buildCompiledBench, else the TypeScript source (through tsx). */
export function workerScript(module: string): { file: string; execArgv: string[] } {
  return compiled
    ? { file: join(COMPILED_DIR, 'bench', module.replace(/\.ts$/, '.js')), execArgv: [] }
    : { file: join(BENCH_DIR, module), execArgv: ['--import', 'tsx'] };
}

/** Starts a module of bench/ as a child Node process (compiled, or through tsx), with an IPC channel. */
export function startWorker(
  module: string,
  args: readonly string[] = [],
  options: { execArgv?: readonly string[]; env?: NodeJS.ProcessEnv; quiet?: boolean } = {},
): Worker {
  const script = workerScript(module);
  const child = fork(script.file, [...args], {
    execArgv: [...script.execArgv, ...(options.execArgv ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'pipe', 'ipc'],
  });
  trackChild(child);
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    if (stderr.length > 200) stderr.shift();
    if (process.env.BENCH_VERBOSE) process.stderr.write(chunk);
  });
  const waiters = new Set<{ match: (m: Record<string, unknown>) => boolean; resolve: (m: unknown) => void }>();
  // Messages no waiter took yet (a worker's `ready` can come before anyone waits for it), for the next waitFor; bounded.
  const unclaimed: Record<string, unknown>[] = [];
  child.on('message', (message) => {
    const m = message as Record<string, unknown>;
    let taken = false;
    for (const waiter of [...waiters]) {
      if (waiter.match(m)) {
        waiters.delete(waiter);
        waiter.resolve(m);
        taken = true;
      }
    }
    if (!taken) {
      unclaimed.push(m);
      if (unclaimed.length > 100) unclaimed.shift();
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const onExit = new Set<(code: number | null) => void>();
  child.once('exit', (code) => {
    for (const fn of [...onExit]) fn(code);
  });
  let nextId = 1;
  const waitFor = <T>(match: (m: Record<string, unknown>) => boolean, timeoutMs = 120_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const early = unclaimed.findIndex(match);
      if (early >= 0) {
        resolve(unclaimed.splice(early, 1)[0] as T);
        return;
      }
      const waiter = {
        match,
        resolve: (m: unknown) => {
          clearTimeout(timer);
          resolve(m as T);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        onExit.delete(exit);
        reject(new Error(`${module}: no answer within ${timeoutMs} ms\n${stderr.join('').slice(-3000)}`));
      }, timeoutMs);
      waiters.add(waiter);
      const exit = (code: number | null) => {
        if (waiters.delete(waiter)) {
          clearTimeout(timer);
          reject(new Error(`${module} exited with code ${code}\n${stderr.join('').slice(-3000)}`));
        }
      };
      onExit.add(exit);
      const original = waiter.resolve;
      waiter.resolve = (m: unknown) => {
        onExit.delete(exit);
        original(m);
      };
    });
  return {
    child,
    pid: child.pid!,
    waitFor,
    call: <T>(message: Record<string, unknown>, timeoutMs?: number) => {
      const id = nextId++;
      const reply = waitFor<T & { error?: string }>((m) => m.id === id, timeoutMs).then((m) => {
        if (m.error) throw new Error(`${module}: ${m.error}`);
        return m;
      });
      child.send({ ...message, id });
      return reply;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In a worker: answers each request message with handler's result (or its error), under the same id. */
export function serveRequests(handler: (message: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>): void {
  process.on('message', (message) => {
    const m = message as Record<string, unknown>;
    Promise.resolve()
      .then(() => handler(m))
      .then(
        (reply) => process.send?.({ ...reply, id: m.id }),
        (error: unknown) => process.send?.({ id: m.id, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// Results

export interface BenchResult {
  readonly benchmark: string;
  readonly title: string;
  readonly command: string;
  readonly date: string;
  readonly machine: MachineInfo;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** One table per section: the rows printed and written to docs/benchmarks.md. */
  readonly tables: readonly ResultTable[];
  /** Targets and whether they are met. */
  readonly targets: readonly TargetCheck[];
  /** Everything measured, for whoever wants more than the tables. */
  readonly raw: unknown;
  readonly notes?: readonly string[];
}

export interface ResultTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export function writeResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${result.benchmark}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

export function renderTable(table: ResultTable): string {
  const cells = [table.columns.map(String), ...table.rows.map((r) => r.map(String))];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [table.title, line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function printResult(result: BenchResult): void {
  const out: string[] = [`\n== ${result.title}`];
  for (const table of result.tables) out.push('', renderTable(table));
  if (result.targets.length > 0) {
    out.push('', 'Targets:');
    for (const t of result.targets) out.push(`  ${t.met ? 'MET   ' : 'MISSED'} ${t.target}: ${t.measured}`);
  }
  for (const note of result.notes ?? []) out.push(`  note: ${note}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Logs a progress line on stderr. */
export function say(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

export const HERE = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// The machine's own load: other work on the same 2 cores skews every figure, so each benchmark
// waits for a quiet machine and records how busy it was.

/** Busy and total CPU ticks of the whole machine, from /proc/stat. */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Cores the whole machine kept busy over an interval (call stop()). */
export function machineMeter(): { stop(): number | undefined } {
  const before = machineTicks();
  const started = performance.now();
  return {
    stop() {
      const after = machineTicks();
      if (!before || !after) return undefined;
      return round((after.busy - before.busy) / TICKS / ((performance.now() - started) / 1000), 2);
    },
  };
}

/**
 * Waits until the machine has been nearly idle (< maxCores busy) for `quietSeconds` in a row, or
 * `timeoutSeconds` have passed; returns the busy cores seen last and whether it was quiet.
 */
export async function waitForQuietMachine(
  options: { maxCores?: number; quietSeconds?: number; timeoutSeconds?: number; silent?: boolean } = {},
): Promise<{ quiet: boolean; busyCores: number; waitedSeconds: number }> {
  const maxCores = options.maxCores ?? 0.25;
  const quietSeconds = options.quietSeconds ?? 3;
  const timeoutSeconds = options.timeoutSeconds ?? Number(process.env.BENCH_QUIET_TIMEOUT ?? 300);
  const started = Date.now();
  let quietFor = 0;
  let busy = 0;
  let announced = false;
  while ((Date.now() - started) / 1000 < timeoutSeconds) {
    const meter = machineMeter();
    await sleep(1000);
    busy = meter.stop() ?? 0;
    quietFor = busy < maxCores ? quietFor + 1 : 0;
    if (quietFor >= quietSeconds) return { quiet: true, busyCores: busy, waitedSeconds: Math.round((Date.now() - started) / 1000) };
    if (!announced && busy >= maxCores && !options.silent) {
      say(`the machine is busy (${busy} cores in use by other processes); waiting up to ${timeoutSeconds} s for it to be quiet`);
      announced = true;
    }
  }
  if (!options.silent) say(`the machine did not get quiet (${busy} cores busy); measuring anyway, figures will be noisy`);
  return { quiet: false, busyCores: busy, waitedSeconds: Math.round((Date.now() - started) / 1000) };
}

/** Copies the non-test Rego files of a policies folder (what `opa build` puts in the bundle). */
export function copyPolicies(from: string, to: string): void {
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.rego') && !name.endsWith('_test.rego')) {
        const target = join(to, relative(from, path));
        mkdirSync(dirname(target), { recursive: true });
        cpSync(path, target);
      }
    }
  };
  walk(from);
}

/**
 * A wait for a quiet machine before each measured phase, within a total budget for the whole
 * benchmark (BENCH_QUIET_BUDGET seconds, default 240), at most 30 s per phase.
 */
export function quietGate(budgetSeconds = Number(process.env.BENCH_QUIET_BUDGET ?? 240)): () => Promise<void> {
  let left = budgetSeconds;
  return async () => {
    if (left <= 0) return;
    const waited = await waitForQuietMachine({ maxCores: 0.3, quietSeconds: 2, timeoutSeconds: Math.min(30, left), silent: true });
    left -= waited.waitedSeconds;
  };
}
