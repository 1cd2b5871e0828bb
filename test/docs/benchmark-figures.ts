// Every benchmark figure README.md, docs/benchmarks.md and docs/operations.md (sizing) quote by hand, tied to the results value
// it shows (the generated blocks of docs/benchmarks.md are checked whole, against bench/report.ts).
// When a benchmark is rerun, the test names each figure that no longer matches; change the docs
// (and, if the wording changed, the quote here). Historical figures (before an optimisation, from
// runs whose results were replaced) are left out: no results file holds them.
import { at, cell, derived, verdict, type NumberSource, type QuotedFigures } from './quoted-figures.ts';

const CPU = 'CPU gen/envoy/cp/mcp/other';
const CONTROL_PLANE = 2;
const saturation = (path: string, column: string, part?: number) => cell('gateway', 'Saturation', ['demo', path], column, part);
const fixedRate = (path: string, rate: number, column: string, part?: number) => cell('gateway', 'Fixed rates', ['demo', path, rate], column, part);
const viaEnvoy = (server: string, call: string, load: string, column: string) => cell('policy', 'Through Envoy', [server, call, load], column);
const grpc = (server: string, load: string, column: string) => cell('policy', 'Direct gRPC Check', [server, load], column);
const inProcess = (step: string, column: string) => cell('policy', 'In-process cost', [step], column);
const wall = (column: string, part?: number) => cell('compile', 'Wall time', [1000], column, part);
const push = (column: string, part?: number) => cell('xds', 'Per push', [1000], column, part);
const RSS = 'CP RSS: no nodes / nodes connected / during pushes / peak ever';
const [IDLE, CONNECTED, PUSHING, PEAK] = [0, 1, 2, 3];
const oneChange = (protocol: string, column: string) => cell('xds', 'One-server change', [protocol], column);
const ONE_CHANGE_RSS = 'CP RSS with 1000 nodes connected (MiB)';
const XDS_MEMORY = 'control-plane RSS ≤ 300 MB with 1,000 nodes';
const XDS_ACKS = '1,000 nodes all ACKed within 2 s';
/** The ArrayBuffers peak of one push (trials 2 and 3 are those of 1,000 nodes). */
const pushArrayBuffers = (trial: number) => at('xds', ['raw', 'trials', trial, 'controlPlaneMemory', 'arrayBuffers']);
const guarded = (call: string, column: string) => cell('guardrails', 'tools/call latency', [call], column);
const INSPECTED = 'inspected (guardrails)';
/** How much faster the inspected call was (the uninspected one's figure minus the inspected one's). */
const fasterInspected = (column: string) =>
  derived('ms faster inspected', (plain, inspected) => plain - inspected, guarded('uninspected', column), guarded(INSPECTED, column));

const seconds = (ms: NumberSource) => derived('in seconds', (v) => v / 1000, ms);
const ratio = (a: NumberSource, b: NumberSource) => derived('ratio', (x, y) => x / y, a, b);
const percent = (a: NumberSource, b: NumberSource) => derived('percent', (x, y) => (100 * x) / y, a, b);
/** CPU milliseconds per call at saturation: the process's cores ÷ calls/s. */
const cpuMsPerCall = (path: string, process: number) =>
  derived('CPU ms per call (cores ÷ calls/s × 1000)', (cores, rate) => (1000 * cores) / rate, saturation(path, CPU, process), saturation(path, 'calls/s'));

const README = 'README.md';
const BENCHMARKS = 'docs/benchmarks.md';
const OPERATIONS = 'docs/operations.md';

export const QUOTED_FIGURES: readonly QuotedFigures[] = [
  // README.md, "Benchmarks"
  {
    doc: README,
    quote:
      '| ext_authz decisions/s (direct gRPC, saturation; 2026-12-02) | {n} ({n} µs CPU each) | OPA-Envoy plugin v1.15.2: {n} ({n} µs) | ' +
      '≥ 2× plugin: {verdict} ({n}×) |',
    figures: [
      grpc('gatehouse', 'closed c=32', 'decisions/s'),
      grpc('gatehouse', 'closed c=32', 'authz µs CPU / decision'),
      grpc('opa-envoy', 'closed c=32', 'decisions/s'),
      grpc('opa-envoy', 'closed c=32', 'authz µs CPU / decision'),
      verdict('policy', 'decisions/s ≥ OPA-Envoy (direct gRPC Check, saturation)'),
      ratio(grpc('gatehouse', 'closed c=32', 'decisions/s'), grpc('opa-envoy', 'closed c=32', 'decisions/s')),
    ],
  },
  {
    doc: README,
    quote:
      '| MCP `tools/call` decided by RBAC, in a session (2026-12-02, AMD EPYC, quiet machine) | {n} calls/s at saturation ({n} µs control-plane CPU each); ' +
      '+{n} ms p50 over bare Envoy at 500/s | bare Envoy (router only): {n} calls/s; direct: {n} | ≥ 85% of bare Envoy, ≥ 70% of direct: ' +
      '{verdict} ({n}%, {n}%) |',
    figures: [
      saturation('gateway', 'calls/s'),
      saturation('gateway', 'CP µs/call'),
      fixedRate('gateway', 500, 'added vs bare Envoy', 0),
      saturation('bare-envoy', 'calls/s'),
      saturation('direct', 'calls/s'),
      verdict('gateway', 'grant-only calls: throughput ≥ 85% of bare Envoy (saturation)', 'grant-only calls: throughput ≥ 70% of direct (saturation)'),
      percent(saturation('gateway', 'calls/s'), saturation('bare-envoy', 'calls/s')),
      percent(saturation('gateway', 'calls/s'), saturation('direct', 'calls/s')),
    ],
  },
  {
    doc: README,
    quote:
      '| MCP `tools/call` decided by ext_authz (same run) | {n} calls/s at saturation; +{n} ms p50 over bare Envoy at 100/s | | ' +
      '≤ 1 ms at 500/s: {verdict} (this machine saturates below 500/s) |',
    figures: [
      saturation('gateway-ext-authz', 'calls/s'),
      fixedRate('gateway-ext-authz', 100, 'added vs bare Envoy', 0),
      verdict('gateway', 'every measured call of the phases below succeeds (calls decided by ext_authz, latency at 500 calls/s)'),
    ],
  },
  {
    doc: README,
    quote:
      '| compile, 1,000 servers × {n} tools, {n} teams, {n} grants (2026-11-26) | {n} s | `opa build` alone {n} s | ' +
      '≤ 10 s: {verdict}; ≤ 2× opa build: {verdict} |',
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
    quote:
      '| xDS, 1,000 Envoys (2026-12-02, quiet machine) | control plane {n} MiB connected, {n} MiB peak; slowest ACK {n} s | | ' +
      '≤ 300 MB: {verdict}; ≤ 2 s: {verdict} |',
    figures: [push(RSS, CONNECTED), push(RSS, PEAK), seconds(push('all ACKed max')), verdict('xds', XDS_MEMORY), verdict('xds', XDS_ACKS)],
  },
  {
    doc: README,
    quote:
      '| one-server change to 1,000 Envoys, delta xDS (same run) | {n} KiB per node, {n} MiB RSS connected | ' +
      'state of the world: {n} KiB per node ({n}×), {n} MiB |',
    figures: [
      oneChange('delta', 'KiB per node per push'),
      oneChange('delta', ONE_CHANGE_RSS),
      oneChange('sotw', 'KiB per node per push'),
      oneChange('SotW ÷ delta', 'KiB per node per push'),
      oneChange('sotw', ONE_CHANGE_RSS),
    ],
  },

  // docs/benchmarks.md, the machine and "Results against the targets"
  {
    doc: BENCHMARKS,
    quote: 'one {n}-core machine ({n} vCPUs, {n} GiB; AMD EPYC',
    figures: [at('gateway', ['machine', 'cores']), at('gateway', ['machine', 'cores']), at('gateway', ['machine', 'ramGiB'])],
  },
  {
    doc: BENCHMARKS,
    quote:
      'latest run, saturation: {n} calls/s through the gateway against {n} through the bare Envoy ({n}%) and {n} direct ({n}%), ' +
      '{n} ms of control-plane CPU per call',
    figures: [
      saturation('gateway', 'calls/s'),
      saturation('bare-envoy', 'calls/s'),
      percent(saturation('gateway', 'calls/s'), saturation('bare-envoy', 'calls/s')),
      saturation('direct', 'calls/s'),
      percent(saturation('gateway', 'calls/s'), saturation('direct', 'calls/s')),
      cpuMsPerCall('gateway', CONTROL_PLANE),
    ],
  },
  {
    doc: BENCHMARKS,
    quote:
      'went from 572.8 to {n} calls/s (28.9% to {n}% of the bare Envoy), control-plane CPU per call from 890 to {n} µs, ' +
      'and at 500 calls/s the added p50 from +69.473 ms',
    figures: [
      saturation('gateway', 'calls/s'),
      percent(saturation('gateway', 'calls/s'), saturation('bare-envoy', 'calls/s')),
      saturation('gateway', 'CP µs/call'),
    ],
  },
  {
    doc: BENCHMARKS,
    quote: 'its capacity on this machine) to +{n} ms. What each call still costs, per the run\'s CPU columns: {n} ms of control-plane CPU,',
    figures: [fixedRate('gateway', 500, 'added vs bare Envoy', 0), cpuMsPerCall('gateway', CONTROL_PLANE)],
  },
  {
    doc: BENCHMARKS,
    quote: 'and {n} µs of Envoy CPU (the bare Envoy: {n} µs)',
    figures: [saturation('gateway', 'Envoy µs/call'), saturation('bare-envoy', 'Envoy µs/call')],
  },
  {
    doc: BENCHMARKS,
    quote:
      'at saturation the path completes {n} calls/s on this machine (the run before the call-outcome script: 319.5), ' +
      'with the control plane at {n} of a core',
    figures: [saturation('gateway-ext-authz', 'calls/s'), saturation('gateway-ext-authz', CPU, CONTROL_PLANE)],
  },
  {
    doc: BENCHMARKS,
    quote: '({n} calls failed closed on ext_authz\'s 500 ms timeout)',
    figures: [fixedRate('gateway-ext-authz', 500, 'errors')],
  },
  {
    doc: BENCHMARKS,
    quote: 'At 100 calls/s the path adds +{n} ms p50 over the bare Envoy.',
    figures: [fixedRate('gateway-ext-authz', 100, 'added vs bare Envoy', 0)],
  },
  {
    doc: BENCHMARKS,
    quote: 'not measurable on this machine: the path saturates at {n} calls/s; +{n} ms / +{n} ms at 100 calls/s',
    figures: [
      saturation('gateway-ext-authz', 'calls/s'),
      fixedRate('gateway-ext-authz', 100, 'added vs bare Envoy', 0),
      fixedRate('gateway-ext-authz', 100, 'added vs bare Envoy', 1),
    ],
  },
  {
    doc: BENCHMARKS,
    quote: 'its bare Envoy serving {n} calls/s where',
    figures: [saturation('bare-envoy', 'calls/s')],
  },
  {
    doc: BENCHMARKS,
    quote: '| xDS | 1,000 nodes all ACKed within 2 s | slowest node {n} s (p50 {n} s), quiet machine, worst of 2 pushes | {verdict} (`--quick` run) |',
    figures: [seconds(push('all ACKed max')), seconds(push('all ACKed p50')), verdict('xds', XDS_ACKS)],
  },
  {
    doc: BENCHMARKS,
    quote:
      "peak {n} MiB ({n} MB; 342 MiB in the same day's run before responses shared their frames); {n} MiB before any node connects, " +
      '{n} MiB ({n} MB) with 1,000 connected (301.5 before), {n} MiB ({n} MB) during pushes (338.7 before) | {verdict} |',
    figures: [
      push(RSS, PEAK),
      derived('in MB', (mib) => mib * 1.048576, push(RSS, PEAK)),
      push(RSS, IDLE),
      push(RSS, CONNECTED),
      derived('in MB', (mib) => mib * 1.048576, push(RSS, CONNECTED)),
      push(RSS, PUSHING),
      derived('in MB', (mib) => mib * 1.048576, push(RSS, PUSHING)),
      verdict('xds', XDS_MEMORY),
    ],
  },
  {
    doc: BENCHMARKS,
    quote:
      'The control plane holds {n} MiB before any node connects (Node itself, the Envoy API descriptors, the Wasm policy engine, the artifacts), ' +
      "and the 1,000 nodes' HTTP/2 sessions and streams add about {n} KiB each at rest ({n} MiB with all connected).",
    figures: [
      push(RSS, IDLE),
      derived('KiB per node (connected − idle, ÷ 1,000 nodes)', (connected, idle) => ((connected - idle) * 1024) / 1000, push(RSS, CONNECTED), push(RSS, IDLE)),
      push(RSS, CONNECTED),
    ],
  },
  {
    doc: BENCHMARKS,
    quote: 'a push of {n} KiB per node to 1,000 nodes made about {n} MiB of copies',
    figures: [push('KiB per node per push'), derived('MiB for 1,000 nodes', (kib) => kib * 1000 / 1024, push('KiB per node per push'))],
  },
  {
    doc: BENCHMARKS,
    quote: '(ArrayBuffers peak at {n} MiB during pushes) the peak is {n} MiB, and a push costs the control plane less CPU ({n} s against 1.19 s) ' +
      'and reaches every node sooner (slowest {n} s against 2.17 s)',
    figures: [
      derived('the larger of the two pushes', Math.max, pushArrayBuffers(2), pushArrayBuffers(3)),
      push(RSS, PEAK),
      push('CP CPU s'),
      seconds(push('all ACKed max')),
    ],
  },
  {
    doc: BENCHMARKS,
    quote: '(delta: {n} MiB with 1,000 nodes connected, against 335.2 before)',
    figures: [oneChange('delta', ONE_CHANGE_RSS)],
  },
  {
    doc: BENCHMARKS,
    quote: '**Delta sends {n}× fewer bytes, not 100×.**',
    figures: [oneChange('SotW ÷ delta', 'KiB per node per push')],
  },
  {
    doc: BENCHMARKS,
    quote: 'which is nearly all of the delta push ({n} KiB per node)',
    figures: [oneChange('delta', 'KiB per node per push')],
  },
  {
    doc: BENCHMARKS,
    quote: '(slowest node {n} s state of the world, {n} s delta)',
    figures: [seconds(oneChange('sotw', 'all ACKed max')), seconds(oneChange('delta', 'all ACKed max'))],
  },
  {
    doc: BENCHMARKS,
    quote: '**Memory: delta costs about {n} MiB more at 1,000 nodes** ({n} against {n} MiB RSS)',
    figures: [
      derived('delta − state of the world', (d, w) => d - w, oneChange('delta', ONE_CHANGE_RSS), oneChange('sotw', ONE_CHANGE_RSS)),
      oneChange('delta', ONE_CHANGE_RSS),
      oneChange('sotw', ONE_CHANGE_RSS),
    ],
  },
  {
    doc: BENCHMARKS,
    quote: 'with a 1,000-server data document takes {n} s, so "2× opa build" would be {n} s',
    figures: [wall('opa build alone', 0), derived('twice', (s) => 2 * s, wall('opa build alone', 0))],
  },
  // The "after" figures of the optimisation table's policy rows are from the run of 2026-11-26, whose results file was replaced: historical.
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
    quote:
      'measured {n} calls/s through a bare Envoy (router only, 2 worker threads) and {n} calls/s through the full gateway chain for calls decided by ' +
      'RBAC ({n} ms of control-plane CPU per call',
    figures: [saturation('bare-envoy', 'calls/s'), saturation('gateway', 'calls/s'), cpuMsPerCall('gateway', CONTROL_PLANE)],
  },
  {
    doc: OPERATIONS,
    quote: '| control-plane memory, no Envoy connected | {n} MiB',
    figures: [push(RSS, IDLE)],
  },
  {
    doc: OPERATIONS,
    quote: '({n} MiB in all), peaking at {n} MiB with the initial sync and the pushes',
    figures: [push(RSS, CONNECTED), push(RSS, PEAK)],
  },
  {
    doc: OPERATIONS,
    quote: '| push of a new artifact set to 1,000 nodes | all ACKed within {n} s (p50 {n} s), {n} CPU-seconds, {n} KiB per node',
    figures: [seconds(push('all ACKed max')), seconds(push('all ACKed p50')), push('CP CPU s'), push('KiB per node per push')],
  },
  // Guardrails: README.md, "Guardrails"; docs/benchmarks.md, its section's prose
  {
    doc: README,
    quote: 'p50 {n} ms inspected against {n} ms uninspected, p99 {n} against {n} ms (ratio p50 {n})',
    figures: [
      guarded(INSPECTED, 'p50'), guarded('uninspected', 'p50'), guarded(INSPECTED, 'p99'), guarded('uninspected', 'p99'),
      ratio(guarded(INSPECTED, 'p50'), guarded('uninspected', 'p50')),
    ],
  },
  {
    doc: BENCHMARKS,
    quote: 'The inspected call was {n} ms faster at p50 and {n} ms faster at p99',
    figures: [fasterInspected('p50'), fasterInspected('p99')],
  },
];
