// The benchmarks: `npx tsx bench/run.ts gateway|policy|compile|xds|guardrails|all [--duration S] [--quick]`,
// or `--report` to regenerate docs/benchmarks.md from bench/results/*.json. Each benchmark writes
// bench/results/<name>.json and prints its tables. Not part of `npm test`.
import { buildCompiledBench, killTrackedChildren, parseBenchFlags, printResult, say, writeResult, type BenchFlags, type BenchResult } from './lib/common.ts';

type Runner = (flags: BenchFlags) => Promise<BenchResult>;

const BENCHMARKS: Readonly<Record<string, () => Promise<Runner>>> = {
  gateway: async () => (await import('./gateway.ts')).runGatewayBench,
  policy: async () => (await import('./policy.ts')).runPolicyBench,
  compile: async () => (await import('./compile.ts')).runCompileBench,
  xds: async () => (await import('./xds.ts')).runXdsBench,
  guardrails: async () => (await import('./guardrails.ts')).runGuardrailsBench,
};

const USAGE = `Usage: npx tsx bench/run.ts <${Object.keys(BENCHMARKS).join('|')}|all>… [--duration SECONDS] [--quick] [--profile]
       npx tsx bench/run.ts --report      (rewrites docs/benchmarks.md from bench/results/*.json)`;

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (argv.includes('--report')) {
    const { writeReport } = await import('./report.ts');
    say(`wrote ${writeReport()}`);
    return 0;
  }
  const flags = parseBenchFlags(argv);
  const names = flags.rest.includes('all') || flags.rest.length === 0 ? Object.keys(BENCHMARKS) : [...flags.rest];
  for (const name of names) {
    if (!BENCHMARKS[name]) {
      process.stderr.write(`unknown benchmark "${name}"\n${USAGE}\n`);
      return 2;
    }
  }
  const started = Date.now();
  say('compiling the sources and bench/ to JavaScript (bench/.build; BENCH_TSX=1 runs the TypeScript instead)');
  buildCompiledBench();
  for (const name of names) {
    say(`${name}: running`);
    const result = await (await BENCHMARKS[name]!())(flags);
    printResult(result);
    say(`${name}: wrote ${writeResult(result)}`);
  }
  const { writeReport } = await import('./report.ts');
  say(`wrote ${writeReport()} (${Math.round((Date.now() - started) / 1000)} s in all)`);
  return 0;
}

const timer = setTimeout(() => {
  process.stderr.write('bench: the run exceeded its 30-minute bound; stopping\n');
  killTrackedChildren();
  process.exit(3);
}, 30 * 60_000);
timer.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench: ${signal}; stopping every process the run started\n`);
    killTrackedChildren();
    process.exit(130);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
