// Every benchmark figure README.md, docs/benchmarks.md and docs/operations.md (sizing) quote by hand, tied to the results value
// it shows (the generated blocks of docs/benchmarks.md are checked whole, against bench/report.ts).
// When a benchmark is rerun, the test names each figure that no longer matches; change the docs
// (and, if the wording changed, the quote here). Historical figures (before an optimisation, from
// runs whose results were replaced) are left out: no results file holds them.
import { at, cell, derived, verdict, type NumberSource, type QuotedFigures } from './quoted-figures.ts';

const CPU = 'CPU gen/envoy/cp/mcp/other';
const [ENVOY, CONTROL_PLANE, MCP] = [1, 2, 3];
const fixedRate = (path: string, rate: number, column: string, part?: number) => cell('gateway', 'Fixed rates', [path, rate], column, part);
const saturation = (path: string, column: string, part?: number) => cell('gateway', 'Saturation', [path], column, part);
const viaEnvoy = (server: string, call: string, load: string, column: string) => cell('policy', 'Through Envoy', [server, call, load], column);
const grpc = (server: string, load: string, column: string) => cell('policy', 'Direct gRPC Check', [server, load], column);
const inProcess = (step: string, column: string) => cell('policy', 'In-process cost', [step], column);
const wall = (column: string, part?: number) => cell('compile', 'Wall time', [1000], column, part);
const stage = (column: string) => cell('compile', 'Where compile spends', [1000], column);
const push = (column: string, part?: number) => cell('xds', 'Per push', [1000], column, part);
const RSS = 'CP RSS: no nodes / nodes connected / during pushes / peak ever';
const [IDLE, CONNECTED, PUSHING, PEAK] = [0, 1, 2, 3];

const seconds = (ms: NumberSource) => derived('in seconds', (v) => v / 1000, ms);
const ratio = (a: NumberSource, b: NumberSource) => derived('ratio', (x, y) => x / y, a, b);
const percent = (a: NumberSource, b: NumberSource) => derived('percent', (x, y) => (100 * x) / y, a, b);
const difference = (a: NumberSource, b: NumberSource) => derived('difference', (x, y) => x - y, a, b);
/** The median of the control plane's ArrayBuffers memory over the pushes to this many nodes. */
const medianArrayBuffers = (nodes: number): NumberSource => ({
  kind: 'number',
  bench: 'xds',
  describe: `the median of raw.trials[nodes=${String(nodes)}].controlPlaneMemory.arrayBuffers`,
  read: (result) => {
    const trials = (result.raw as { trials?: readonly { nodes: number; controlPlaneMemory?: { arrayBuffers?: number } }[] }).trials ?? [];
    const mib = trials.filter((t) => t.nodes === nodes).map((t) => t.controlPlaneMemory?.arrayBuffers ?? Number.NaN).sort((a, b) => a - b);
    const middle = Math.floor(mib.length / 2);
    return mib.length % 2 === 1 ? mib[middle]! : ((mib[middle - 1] ?? Number.NaN) + (mib[middle] ?? Number.NaN)) / 2;
  },
});
/** CPU milliseconds per call at saturation: the process's cores ÷ calls/s. */
const cpuMsPerCall = (path: string, process: number) =>
  derived('CPU ms per call (cores ÷ calls/s × 1000)', (cores, rate) => (1000 * cores) / rate, saturation(path, CPU, process), saturation(path, 'calls/s'));

const README = 'README.md';
const BENCHMARKS = 'docs/benchmarks.md';
const OPERATIONS = 'docs/operations.md';

export const QUOTED_FIGURES: readonly QuotedFigures[] = [
  // README.md, "Benchmarks"
  { doc: README, quote: 'Current figures, on a {n}-vCPU AMD EPYC', figures: [at('gateway', ['machine', 'cores'])] },
  {
    doc: README,
    quote: '| ext_authz decisions/s (direct gRPC, saturation) | {n} ({n} µs CPU each) | OPA-Envoy plugin v1.15.2: {n} ({n} µs) | ≥ plugin: {verdict} |',
    figures: [
      grpc('gatehouse', 'closed c=32', 'decisions/s'),
      grpc('gatehouse', 'closed c=32', 'authz µs CPU / decision'),
      grpc('opa-envoy', 'closed c=32', 'decisions/s'),
      grpc('opa-envoy', 'closed c=32', 'authz µs CPU / decision'),
      verdict('policy', 'decisions/s ≥ OPA-Envoy (direct gRPC Check, saturation)'),
    ],
  },
  {
    doc: README,
    quote: '| MCP `tools/call` through the gateway at 500/s | p50 {n} ms, p99 {n} ms | direct to the MCP server: {n} / {n} ms | +1 ms / +3 ms: {verdict} |',
    figures: [
      fixedRate('gateway', 500, 'p50'),
      fixedRate('gateway', 500, 'p99'),
      fixedRate('direct', 500, 'p50'),
      fixedRate('direct', 500, 'p99'),
      verdict('gateway', 'added p50 ≤ 1 ms at 500 calls/s', 'added p99 ≤ 3 ms at 500 calls/s'),
    ],
  },
  {
    doc: README,
    quote: '| throughput through the gateway (saturation) | {n} calls/s | direct: {n} calls/s ({n}%) | ≥ 70%: {verdict} |',
    figures: [
      saturation('gateway', 'calls/s'),
      saturation('direct', 'calls/s'),
      percent(saturation('gateway', 'calls/s'), saturation('direct', 'calls/s')),
      verdict('gateway', 'throughput through the gateway ≥ 70% of direct'),
    ],
  },
  {
    doc: README,
    quote: '| compile, 1,000 servers × {n} tools, {n} teams, {n} grants | {n} s | `opa build` alone {n} s | ≤ 10 s: {verdict}; ≤ 2× opa build: {verdict} |',
    figures: [
      at('compile', ['parameters', 'toolsPerServer']),
      at('compile', ['parameters', 'teams']),
      at('compile', ['parameters', 'grants']),
      wall('compile', 0),
      wall('opa build alone', 0),
      verdict('compile', 'compile of 1,000 servers ≤ 10 s'),
      verdict('compile', 'compile of 1,000 servers ≤ 2× opa build'),
    ],
  },
  {
    doc: README,
    quote: '| access matrix, {n} teams × {n} tools | {n} s | | ≤ 5 s: {verdict} |',
    figures: [
      at('compile', ['parameters', 'teams']),
      wall('tools'),
      wall('access matrix (evaluation)'),
      verdict('compile', 'access matrix of 200 teams × 20,000 tools ≤ 5 s'),
    ],
  },
  {
    doc: README,
    quote: '| xDS push to 1,000 Envoys, all ACKed | p50 {n} s, slowest {n} s, {n} MiB RSS | | ≤ 2 s: {verdict}; ≤ 300 MB: {verdict} |',
    figures: [
      seconds(push('all ACKed p50')),
      seconds(push('all ACKed max')),
      push(RSS, PEAK),
      verdict('xds', '1,000 nodes all ACKed within 2 s'),
      verdict('xds', 'control-plane RSS ≤ 300 MB'),
    ],
  },
  {
    doc: README,
    quote: 'a backend whose calls cost {n} ms of CPU on the same two cores; Node and `tsx` start-up against a {n} s `opa build`',
    figures: [cpuMsPerCall('direct', MCP), wall('opa build alone', 0)],
  },

  // docs/benchmarks.md, the machine and "Results against the targets"
  {
    doc: BENCHMARKS,
    quote: 'one {n}-core machine (AMD EPYC, {n} vCPUs, {n} GiB)',
    figures: [at('gateway', ['machine', 'cores']), at('gateway', ['machine', 'cores']), at('gateway', ['machine', 'ramGiB'])],
  },
  {
    doc: BENCHMARKS,
    quote: '| gateway | added p50 ≤ 1 ms at 500 calls/s | +{n} ms ({n} ms through the gateway vs {n} ms direct) | {verdict} |',
    figures: [
      fixedRate('gateway', 500, 'added p50 / p99', 0),
      fixedRate('gateway', 500, 'p50'),
      fixedRate('direct', 500, 'p50'),
      verdict('gateway', 'added p50 ≤ 1 ms'),
    ],
  },
  {
    doc: BENCHMARKS,
    quote: '| gateway | added p99 ≤ 3 ms at 500 calls/s | +{n} ms (aggregated +{n} ms) | {verdict} |',
    figures: [fixedRate('gateway', 500, 'added p50 / p99', 1), fixedRate('aggregated', 500, 'added p50 / p99', 1), verdict('gateway', 'added p99 ≤ 3 ms')],
  },
  {
    doc: BENCHMARKS,
    quote: '| gateway | throughput through the gateway ≥ 70% of direct | {n}% ({n} vs {n} calls/s; 885 before Envoy cached verified JWTs) | {verdict} |',
    figures: [
      percent(saturation('gateway', 'calls/s'), saturation('direct', 'calls/s')),
      saturation('gateway', 'calls/s'),
      saturation('direct', 'calls/s'),
      verdict('gateway', 'throughput through the gateway'),
    ],
  },
  {
    doc: BENCHMARKS,
    quote: '| policy | Gatehouse decisions/s ≥ OPA-Envoy plugin | {n}× over gRPC ({n} vs {n}/s), {n}× through Envoy ({n} vs {n} denied calls/s) | {verdict} |',
    figures: [
      ratio(grpc('gatehouse', 'closed c=32', 'decisions/s'), grpc('opa-envoy', 'closed c=32', 'decisions/s')),
      grpc('gatehouse', 'closed c=32', 'decisions/s'),
      grpc('opa-envoy', 'closed c=32', 'decisions/s'),
      ratio(viaEnvoy('gatehouse', 'denied', 'closed c=16', 'calls/s'), viaEnvoy('opa-envoy', 'denied', 'closed c=16', 'calls/s')),
      viaEnvoy('gatehouse', 'denied', 'closed c=16', 'calls/s'),
      viaEnvoy('opa-envoy', 'denied', 'closed c=16', 'calls/s'),
      verdict('policy', 'Gatehouse decisions/s ≥ OPA-Envoy', 'Gatehouse calls/s ≥ OPA-Envoy'),
    ],
  },
  {
    doc: BENCHMARKS,
    quote:
      '| policy | Gatehouse p99 ≤ OPA-Envoy plugin | direct gRPC at 1,000/s: {n} ms vs {n} ms; through Envoy at 500/s, denied {n} ms vs {n} ms, ' +
      'allowed {n} ms vs {n} ms | {verdict} (see below) |',
    figures: [
      grpc('gatehouse', '1000/s', 'p99'),
      grpc('opa-envoy', '1000/s', 'p99'),
      viaEnvoy('gatehouse', 'denied', '500/s', 'p99'),
      viaEnvoy('opa-envoy', 'denied', '500/s', 'p99'),
      viaEnvoy('gatehouse', 'allowed', '500/s', 'p99'),
      viaEnvoy('opa-envoy', 'allowed', '500/s', 'p99'),
      verdict('policy', 'Gatehouse p99 ≤ OPA-Envoy (direct gRPC Check', 'Gatehouse p99 ≤ OPA-Envoy (through Envoy'),
    ],
  },
  { doc: BENCHMARKS, quote: '| compile | 1,000 servers in ≤ 10 s | {n} s | {verdict} |', figures: [wall('compile', 0), verdict('compile', '≤ 10 s')] },
  {
    doc: BENCHMARKS,
    quote: '| compile | ≤ 2× `opa build` | {n}× (`opa build` alone takes {n} s) | {verdict} |',
    figures: [wall('compile ÷ opa build'), wall('opa build alone', 0), verdict('compile', '≤ 2× opa build')],
  },
  {
    doc: BENCHMARKS,
    quote: '| compile | access matrix, {n} teams × {n} tools, ≤ 5 s | {n} s | {verdict} |',
    figures: [at('compile', ['parameters', 'teams']), wall('tools'), wall('access matrix (evaluation)'), verdict('compile', 'access matrix')],
  },
  {
    doc: BENCHMARKS,
    quote: '| xDS | 1,000 nodes all ACKed within 2 s | slowest node {n} s (p50 {n} s) | {verdict} |',
    figures: [seconds(push('all ACKed max')), seconds(push('all ACKed p50')), verdict('xds', 'all ACKed within 2 s')],
  },
  {
    doc: BENCHMARKS,
    quote: '| xDS | control-plane RSS ≤ 300 MB | {n} MiB peak ({n} MB) | {verdict} |',
    figures: [push(RSS, PEAK), derived('MiB in MB', (mib) => mib * 1.048576, push(RSS, PEAK)), verdict('xds', 'RSS ≤ 300 MB')],
  },

  // docs/benchmarks.md, "Why the missed targets are missed"
  {
    doc: BENCHMARKS,
    quote: 'answers a call in about {n} ms of CPU; the gateway adds about {n} ms of Envoy CPU',
    figures: [cpuMsPerCall('direct', MCP), cpuMsPerCall('gateway', ENVOY)],
  },
  {
    doc: BENCHMARKS,
    quote: 'took saturation from 885 to {n} calls/s) and about {n} ms of control-plane CPU',
    figures: [saturation('gateway', 'calls/s'), cpuMsPerCall('gateway', CONTROL_PLANE)],
  },
  {
    doc: BENCHMARKS,
    quote: 'at 100 calls/s the direct call alone takes {n} ms, more than at 500 calls/s ({n} ms)',
    figures: [fixedRate('direct', 100, 'p50'), fixedRate('direct', 500, 'p50')],
  },
  {
    doc: BENCHMARKS,
    quote:
      'added less at 500 calls/s (+{n} ms against +{n} ms), and at 100 calls/s the single-member path added +{n} ms at p99 ' +
      'and the aggregated one +{n} ms.',
    figures: [
      fixedRate('aggregated', 500, 'added p50 / p99', 1),
      fixedRate('gateway', 500, 'added p50 / p99', 1),
      fixedRate('gateway', 100, 'added p50 / p99', 1),
      fixedRate('aggregated', 100, 'added p50 / p99', 1),
    ],
  },
  {
    doc: BENCHMARKS,
    quote: 'over gRPC ({n} ms vs {n} ms at 1,000/s) and its CPU per decision {n}× to {n}× lower ({n} µs vs {n} µs at 1,000/s; {n} µs vs {n} µs at saturation)',
    figures: [
      grpc('gatehouse', '1000/s', 'p50'),
      grpc('opa-envoy', '1000/s', 'p50'),
      ratio(grpc('opa-envoy', '1000/s', 'authz µs CPU / decision'), grpc('gatehouse', '1000/s', 'authz µs CPU / decision')),
      ratio(grpc('opa-envoy', 'closed c=32', 'authz µs CPU / decision'), grpc('gatehouse', 'closed c=32', 'authz µs CPU / decision')),
      grpc('gatehouse', '1000/s', 'authz µs CPU / decision'),
      grpc('opa-envoy', '1000/s', 'authz µs CPU / decision'),
      grpc('gatehouse', 'closed c=32', 'authz µs CPU / decision'),
      grpc('opa-envoy', 'closed c=32', 'authz µs CPU / decision'),
    ],
  },
  {
    doc: BENCHMARKS,
    quote:
      'the higher for allowed calls at 500/s ({n} ms vs {n} ms) and the lower for allowed calls at saturation ({n} ms vs {n} ms). ' +
      'At 2,000/s the plugin saturates (p50 {n} s) while Gatehouse stays at {n} ms.',
    figures: [
      viaEnvoy('gatehouse', 'allowed', '500/s', 'p99'),
      viaEnvoy('opa-envoy', 'allowed', '500/s', 'p99'),
      viaEnvoy('gatehouse', 'allowed', 'closed c=16', 'p99'),
      viaEnvoy('opa-envoy', 'allowed', 'closed c=16', 'p99'),
      seconds(grpc('opa-envoy', '2000/s', 'p50')),
      grpc('gatehouse', '2000/s', 'p50'),
    ],
  },
  {
    doc: BENCHMARKS,
    quote: 'with a 1,000-server data document takes {n} s, so "2× opa build" would be {n} s',
    figures: [wall('opa build alone', 0), derived('twice', (s) => 2 * s, wall('opa build alone', 0))],
  },
  {
    doc: BENCHMARKS,
    quote:
      'Compile spends its {n} s on parsing {n} YAML documents with positions ({n} s), `envoy --mode validate` of the fleet ({n} s), ' +
      'the strict Envoy API check of the emitted xDS ({n} s) and the bundle ({n} s, the `opa build` itself).',
    figures: [
      wall('compile', 0),
      at('compile', ['raw', { servers: 1000 }, 'registryFiles']),
      seconds(stage('parse')),
      seconds(stage('envoy validate default')),
      seconds(stage('xds check')),
      seconds(stage('bundle')),
    ],
  },
  { doc: BENCHMARKS, quote: 'Before any node connects the control plane already holds {n} MiB', figures: [push(RSS, IDLE)] },
  {
    doc: BENCHMARKS,
    quote: '1,000 connected HTTP/2 sessions add about {n} MiB ({n} MiB before any push), and pushes about {n} MiB more ({n} MiB at the peak)',
    figures: [
      difference(push(RSS, CONNECTED), push(RSS, IDLE)),
      push(RSS, CONNECTED),
      difference(push(RSS, PUSHING), push(RSS, CONNECTED)),
      difference(push(RSS, PEAK), push(RSS, CONNECTED)),
    ],
  },

  // docs/benchmarks.md, "What the numbers showed, and what changed": the figures after each change
  {
    doc: BENCHMARKS,
    quote: '| peak RSS {n} MiB (ArrayBuffers {n} MiB); time unchanged (p50 {n} s, slowest {n} s), {n} s CPU |',
    figures: [
      push(RSS, PEAK),
      medianArrayBuffers(1000),
      seconds(push('all ACKed p50')),
      seconds(push('all ACKed max')),
      push('CP CPU s'),
    ],
  },
  {
    doc: BENCHMARKS,
    quote: '| {n} µs per request (fromBinary + toJson) | {n} µs |',
    figures: [inProcess('CheckRequest bytes → attributes JSON', 'protobuf-es (before)'), inProcess('CheckRequest bytes → attributes JSON', 'direct (now)')],
  },
  {
    doc: BENCHMARKS,
    quote: '| {n} µs per response | {n} µs |',
    figures: [inProcess('decision → CheckResponse bytes', 'protobuf-es (before)'), inProcess('decision → CheckResponse bytes', 'direct (now)')],
  },
  {
    doc: BENCHMARKS,
    quote: '| {n} µs, {n} µs ({n}/s); {n} µs allowed, {n} µs denied |',
    figures: [
      grpc('gatehouse', '1000/s', 'authz µs CPU / decision'),
      grpc('gatehouse', 'closed c=32', 'authz µs CPU / decision'),
      grpc('gatehouse', 'closed c=32', 'decisions/s'),
      viaEnvoy('gatehouse', 'allowed', '500/s', 'authz µs CPU / call'),
      viaEnvoy('gatehouse', 'denied', '500/s', 'authz µs CPU / call'),
    ],
  },
  {
    doc: BENCHMARKS,
    quote: 'The Wasm evaluation is {n} µs of the {n}–{n} µs of CPU a decision costs the control plane',
    figures: [
      inProcess('Wasm evaluation (opa-wasm, JSON in and out)', 'direct (now)'),
      grpc('gatehouse', 'closed c=32', 'authz µs CPU / decision'),
      grpc('gatehouse', '1000/s', 'authz µs CPU / decision'),
    ],
  },
  {
    doc: BENCHMARKS,
    quote: 'Gatehouse already answers {n}× the plugin\'s decisions per second',
    figures: [ratio(grpc('gatehouse', 'closed c=32', 'decisions/s'), grpc('opa-envoy', 'closed c=32', 'decisions/s'))],
  },
  {
    doc: BENCHMARKS,
    quote: 'Envoy\'s own CPU per call through the gateway (about {n} ms',
    figures: [cpuMsPerCall('gateway', ENVOY)],
  },

  // docs/operations.md, "Sizing"
  {
    doc: OPERATIONS,
    quote: '| control-plane CPU per allowed call through Envoy | {n} µs at 500 calls/s, {n} µs at saturation',
    figures: [viaEnvoy('gatehouse', 'allowed', '500/s', 'authz µs CPU / call'), viaEnvoy('gatehouse', 'allowed', 'closed c=16', 'authz µs CPU / call')],
  },
  {
    doc: OPERATIONS,
    quote: '| control-plane CPU per denied call through Envoy | {n} µs at 500 calls/s, {n} µs at saturation',
    figures: [viaEnvoy('gatehouse', 'denied', '500/s', 'authz µs CPU / call'), viaEnvoy('gatehouse', 'denied', 'closed c=16', 'authz µs CPU / call')],
  },
  {
    doc: OPERATIONS,
    quote: '| control-plane memory, no Envoy connected | {n} MiB',
    figures: [push(RSS, IDLE)],
  },
  {
    doc: OPERATIONS,
    quote: '({n} MiB in all), peaking at {n} MiB during pushes',
    figures: [push(RSS, CONNECTED), push(RSS, PEAK)],
  },
  {
    doc: OPERATIONS,
    quote: '| push of a new artifact set to 1,000 nodes | all ACKed within {n} s (p50 {n} s), {n} CPU-seconds, {n} KiB per node',
    figures: [seconds(push('all ACKed max')), seconds(push('all ACKed p50')), push('CP CPU s'), push('KiB per node per push')],
  },
];
