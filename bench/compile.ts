// Benchmark 3, compile scale: synthetic registries of 10, 100 and 1,000 MCP servers (20 tools each,
// 200 teams, 2,000 grants); wall time and peak memory of `gatehouse lint`, `gatehouse compile` and
// `gatehouse access` (the access matrix), each a fresh CLI process under /usr/bin/time, with
// `opa build -t wasm` of the same policies and data alone as the floor.
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTRYPOINTS, readBundle } from '../artifacts/src/policy/engine.ts';
import { PROJECT_ROOT, requireTool } from '../toolchain/src/tools.ts';
import { tempDir } from '../testkit/repo.ts';
import { copyPolicies, machineInfo, round, say, waitForQuietMachine, workerScript, type BenchFlags, type BenchResult, type TargetCheck } from './lib/common.ts';
import { DEFAULT_SHAPE, generateRegistry } from './generate-registry.ts';
import { BUNDLE_FILE } from '../artifacts/src/layout.ts';
import { basePolicyDir } from '../toolchain/src/package-root.ts';

export const COMPILE_COMMAND = 'npm run bench -- compile';
// The compiled CLI once the run has built bench/.build (as installed), else bin/gatehouse.mjs (the sources through tsx).
const gatehouse = () => {
  const script = workerScript('lib/gatehouse-cli.ts');
  return script.execArgv.length === 0 ? script.file : join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
};

interface Measured {
  readonly wallSeconds: number;
  readonly peakRssMiB: number;
  readonly userSeconds: number;
  readonly systemSeconds: number;
  readonly exitCode: number;
  /** Stage durations (ms) from the CLI's progress lines. */
  readonly stages: Record<string, number>;
}

/** One run of a command: what was measured, and its stderr (for the message when it fails). */
interface TimedRun {
  readonly measured: Measured;
  readonly stderr: string;
}

/**
 * Runs a command under GNU time; returns wall time, peak RSS (of the largest process in the tree that was waited for)
 * and the stages it printed.
 */
function timed(command: string, args: readonly string[], cwd: string, timeoutMs = 600_000): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-v', command, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wall = (performance.now() - started) / 1000;
      const stderr = Buffer.concat(err).toString('utf8');
      const field = (name: string) => Number(stderr.match(new RegExp(`${name}: ([0-9.]+)`))?.[1] ?? NaN);
      const stages: Record<string, number> = {};
      for (const m of stderr.matchAll(/^gatehouse \w+: ([^:(\n]+?)(?::[^(\n]*)? \((\d+) ms\)$/gm)) {
        const stage = m[1]!.trim();
        stages[stage] = (stages[stage] ?? 0) + Number(m[2]);
      }
      const measured: Measured = {
        wallSeconds: round(wall, 3),
        peakRssMiB: round(field('Maximum resident set size \\(kbytes\\)') / 1024, 1),
        userSeconds: field('User time \\(seconds\\)'),
        systemSeconds: field('System time \\(seconds\\)'),
        exitCode: Number(stderr.match(/Exit status: (\d+)/)?.[1] ?? code ?? -1),
        stages,
      };
      resolve({ measured, stderr });
    });
  });
}

/** The median run (by wall time) of `repeats`. */
async function median(repeats: number, run: () => Promise<TimedRun>): Promise<Measured & { runs: number[] }> {
  const runs: Measured[] = [];
  for (let i = 0; i < repeats; i++) {
    const { measured, stderr } = await run();
    if (measured.exitCode !== 0) throw new Error(`exit code ${measured.exitCode}:\n${stderr.slice(-3000)}`);
    runs.push(measured);
  }
  const sorted = [...runs].sort((a, b) => a.wallSeconds - b.wallSeconds);
  const m = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { ...m, runs: runs.map((r) => r.wallSeconds) };
}

export async function runCompileBench(flags: BenchFlags): Promise<BenchResult> {
  const sizes = flags.quick ? [10, 100] : [10, 100, 1000];
  const quiet = await waitForQuietMachine();
  const opa = requireTool('opa');
  const work = tempDir('gatehouse-bench-compile-');
  const rows: (string | number)[][] = [];
  const raw: Record<string, unknown>[] = [];
  try {
    for (const servers of sizes) {
      const shape = { ...DEFAULT_SHAPE, servers };
      const root = join(work.path, `registry-${servers}`);
      const generated = generateRegistry(root, shape);
      const repeats = servers >= 1000 ? (flags.quick ? 1 : 2) : 3;
      say(`${servers} servers (${generated.files} registry files, ${generated.tools} tools): lint, compile, access, opa build ×${repeats}`);
      const lint = await median(repeats, () => timed(process.execPath, [gatehouse(), 'lint', '--root', root, '--format', 'json'], root));
      const out = join(work.path, `dist-${servers}`);
      const compile = await median(repeats, () => timed(process.execPath, [gatehouse(), 'compile', '--root', root, '--out', out, '--revision', 'bench'], root));
      const access = await median(repeats, () => timed(process.execPath, [gatehouse(), 'access', '--root', root, '--format', 'json'], root));
      // The floor: opa build of the same non-test policies and the same data, nothing else.
      const floorDir = join(work.path, `opa-${servers}`);
      copyPolicies(join(root, 'policies'), join(floorDir, 'policies'));
      copyPolicies(basePolicyDir(), join(floorDir, 'policies'));
      const bundle = readBundle(readFileSync(join(out, BUNDLE_FILE)));
      writeFileSync(join(floorDir, 'data.json'), JSON.stringify(bundle.data));
      const opaBuild = await median(repeats, () =>
        timed(opa, ['build', '-t', 'wasm', ...ENTRYPOINTS.flatMap((e) => ['-e', e]), '-r', 'bench', '-o', 'bundle.tar.gz', 'data.json', 'policies'], floorDir),
      );
      const dataBytes = statSync(join(floorDir, 'data.json')).size;
      const entry = {
        servers,
        tools: generated.tools,
        teams: shape.teams,
        grants: shape.grants,
        registryFiles: generated.files,
        dataJsonBytes: dataBytes,
        bundleBytes: statSync(join(out, BUNDLE_FILE)).size,
        lint,
        compile,
        access,
        opaBuild,
      };
      raw.push(entry);
      const evaluate = access.stages.evaluate ?? NaN;
      rows.push([
        servers,
        generated.tools,
        `${lint.wallSeconds} s / ${lint.peakRssMiB} MiB`,
        `${compile.wallSeconds} s / ${compile.peakRssMiB} MiB`,
        `${opaBuild.wallSeconds} s / ${opaBuild.peakRssMiB} MiB`,
        `${round(compile.wallSeconds / opaBuild.wallSeconds, 2)}×`,
        `${round(evaluate / 1000, 3)} s`,
        `${access.wallSeconds} s / ${access.peakRssMiB} MiB`,
      ]);
      say(`${servers}: lint ${lint.wallSeconds} s, compile ${compile.wallSeconds} s, opa build ${opaBuild.wallSeconds} s, matrix ${evaluate} ms`);
    }
  } finally {
    work.remove();
  }
  const largest = raw[raw.length - 1] as { servers: number; compile: Measured; opaBuild: Measured; access: Measured };
  const stageRows = raw.map((r) => {
    const c = (r as { compile: Measured }).compile.stages;
    return [(r as { servers: number }).servers, ...STAGES.map((s) => c[s] ?? '-')];
  });
  const targets: TargetCheck[] =
    largest.servers >= 1000
      ? [
          { target: 'compile of 1,000 servers ≤ 10 s', measured: `${largest.compile.wallSeconds} s`, met: largest.compile.wallSeconds <= 10 },
          {
            target: 'compile of 1,000 servers ≤ 2× opa build',
            measured:
              `${round(largest.compile.wallSeconds / largest.opaBuild.wallSeconds, 2)}× ` +
              `(${largest.compile.wallSeconds} s vs ${largest.opaBuild.wallSeconds} s)`,
            met: largest.compile.wallSeconds <= 2 * largest.opaBuild.wallSeconds,
          },
          {
            target: 'access matrix of 200 teams × 20,000 tools ≤ 5 s',
            measured: `${round((largest.access.stages.evaluate ?? NaN) / 1000, 3)} s (evaluation; the whole command ${largest.access.wallSeconds} s)`,
            met: (largest.access.stages.evaluate ?? Infinity) <= 5000,
          },
        ]
      : [];
  return {
    benchmark: 'compile',
    title: 'Compile scale: lint, compile and the access matrix against opa build alone',
    command: COMPILE_COMMAND,
    date: new Date().toISOString(),
    machine: machineInfo(),
    parameters: {
      sizes,
      toolsPerServer: DEFAULT_SHAPE.toolsPerServer,
      teams: DEFAULT_SHAPE.teams,
      grants: DEFAULT_SHAPE.grants,
      aggregateEvery: DEFAULT_SHAPE.aggregateEvery,
      quietMachine: quiet,
    },
    tables: [
      {
        title:
          'Wall time / peak RSS of each command (a fresh process; median of 3 runs, 2 for 1,000 servers); ' +
          'compile includes opa check, opa build and envoy --mode validate',
        columns: ['servers', 'tools', 'lint', 'compile', 'opa build alone', 'compile ÷ opa build', 'access matrix (evaluation)', 'gatehouse access (whole)'],
        rows,
      },
      { title: 'Where compile spends its time (ms, from its progress lines)', columns: ['servers', ...STAGES], rows: stageRows },
    ],
    targets,
    raw,
    notes: [
      'Registries come from bench/generate-registry.ts (seeded, deterministic): one YAML document per file, 20 tools per server, ' +
        'a single-member virtual server per server and one aggregated virtual server per 20 servers, 200 teams, ' +
        '2,000 grants of 1–3 servers each (15% "*", else 1–5 tools), ' +
        'one identity provider binding tokens to each virtual server (so one jwt_authn provider per virtual server).',
      'Peak RSS is the largest process of the command\'s tree (GNU time), so for compile it may be OPA\'s or Envoy\'s rather than Node\'s.',
    ],
  };
}

const STAGES = ['read', 'parse', 'validate', 'resolve', 'ir', 'rego check', 'xds', 'xds check', 'bundle', 'bundle check', 'envoy validate default', 'write'];
