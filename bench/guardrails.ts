// The added latency of guardrails (`npm run bench -- guardrails [--quick]`). One demo stack (real
// Envoy, control plane, the example's payments server); the same tool call (lookup_payment, whose
// result holds an email address the example's guardrail logs) through two virtual servers of the
// same server, one guarded (payments-ops: the example's payments-pii guardrail, attached here to that
// virtual server) and one not (payments-plain). Open loop at a fixed rate, calls alternating between
// the two so both see the same machine load; latency counts from each call's scheduled send time, so
// a processor that falls behind shows as latency. Reports p50/p90/p99 of each, the added time and
// the ratio. The uninspected call is not bare: like every tools/call its response is read for the
// audit's outcome (by Envoy's call-outcome script, with no call to the control plane).
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SILENT } from '../compiler/src/pipeline/progress.ts';
import { startDemoStack } from '../demo/src/demo-stack.ts';
import { freeExamplePorts, remapExamplePorts } from '../testkit/example-ports.ts';
import { freePorts } from '../testkit/ports.ts';
import { copyExampleRepo, tempDir } from '../testkit/repo.ts';
import { memoryLogger } from '../xds-server/src/log.ts';
import { machineInfo, percentiles, round, say, type BenchFlags, type BenchResult } from './lib/common.ts';
import { runSchedule } from './lib/schedule.ts';

export const GUARDRAILS_COMMAND = 'npm run bench -- guardrails';

const PLAIN = [
  'apiVersion: gatehouse.dev/v1alpha1', 'kind: VirtualServer', 'metadata:', '  name: payments-plain', 'spec:',
  '  description: The payments ledger without guardrails (benchmark baseline).', '  members:', '    - server: payments', '      tools: ["*"]', '',
].join('\n');

type Variant = 'inspected' | 'uninspected';

export async function runGuardrailsBench(flags: BenchFlags): Promise<BenchResult> {
  const seconds = flags.duration ?? (flags.quick ? 5 : 20);
  const rate = 20; // calls per second in all, half each way: well below saturation on a small machine
  const work = tempDir('gatehouse-bench-guardrails-');
  const ports = await freeExamplePorts();
  const [xds, authz, admin] = await freePorts(3);
  const root = copyExampleRepo(join(work.path, 'repo'), { 'registry/virtual-servers/payments-plain.yaml': PLAIN }, (path, text) => {
    const remapped = remapExamplePorts(text, ports);
    return path === 'registry/guardrails/payments-pii.yaml' ? remapped.replace('    servers: [payments]', '    virtualServers: [payments-ops]') : remapped;
  });
  say('guardrails: starting the demo stack (Envoy, control plane, example servers)');
  const stack = await startDemoStack({
    root,
    stateDir: join(work.path, 'state'),
    ports: { xds: xds!, authz: authz!, admin: admin! },
    logger: memoryLogger(),
    progress: SILENT,
  });
  try {
    const token = (await stack.tokenFor('payments'))!;
    const connect = async (vs: string) => {
      const client = new Client({ name: 'bench-guardrails', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(stack.endpoint(vs)), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
      return client;
    };
    const clients: Record<Variant, Client> = { inspected: await connect('payments-ops'), uninspected: await connect('payments-plain') };
    const timings: Record<Variant, number[]> = { inspected: [], uninspected: [] };
    let errors = 0;
    let issued = 0;
    const call = async (variant: Variant, scheduledAt: number, into: number[] | undefined) => {
      try {
        await clients[variant].callTool({ name: 'lookup_payment', arguments: { id: 'P-5001' } });
        into?.push(performance.now() - scheduledAt);
      } catch {
        errors++;
      }
    };
    const phase = async (durationS: number, record: boolean) => {
      const start = performance.now();
      await runSchedule({ mode: 'open', rate, concurrency: 0, start, end: start + durationS * 1000 }, (scheduledAt) => {
        const variant: Variant = issued++ % 2 === 0 ? 'inspected' : 'uninspected';
        return call(variant, scheduledAt, record ? timings[variant] : undefined);
      });
    };
    say(`guardrails: warm-up, then ${String(seconds)} s at ${String(rate)} calls/s (alternating)`);
    await phase(flags.quick ? 1 : 3, false);
    await phase(seconds, true);
    await Promise.all(Object.values(clients).map((c) => c.close()));
    const i = percentiles(Float64Array.from(timings.inspected));
    const u = percentiles(Float64Array.from(timings.uninspected));
    const row = (name: string, p: typeof i) => [name, p.count, round(p.p50), round(p.p90), round(p.p99)];
    return {
      benchmark: 'guardrails',
      title: 'Guardrails: added latency of an inspected tools/call',
      command: `${GUARDRAILS_COMMAND}${flags.quick ? ' --quick' : ''}`,
      date: new Date().toISOString(),
      machine: machineInfo(),
      parameters: { seconds, rate, tool: 'lookup_payment', guardrail: 'payments-pii (example)' },
      tables: [
        {
          title: `tools/call latency from the scheduled send time (ms), open loop at ${String(rate)} calls/s`,
          columns: ['call', 'calls', 'p50', 'p90', 'p99'],
          rows: [row('inspected (guardrails)', i), row('uninspected', u)],
        },
        {
          title: 'Added by inspection',
          columns: ['added p50 (ms)', 'added p99 (ms)', 'ratio p50', 'ratio p99', 'errors'],
          rows: [[round(i.p50 - u.p50), round(i.p99 - u.p99), round(i.p50 / u.p50), round(i.p99 / u.p99), errors]],
        },
      ],
      targets: [],
      raw: { inspected: i, uninspected: u, errors },
      notes: [
        'Both calls go through the whole gateway (jwt_authn, MCP filter, ext_authz, Envoy\'s call-outcome script); ' +
          'the inspected one also passes the guardrail ' +
          'processor (arguments buffered, result streamed and inspected).',
      ],
    };
  } finally {
    await stack.stop();
    work.remove();
  }
}
