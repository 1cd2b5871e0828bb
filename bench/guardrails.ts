// The added latency of guardrails: `npx tsx bench/guardrails.ts [--quick]`. One demo stack (real
// Envoy, control plane, the example's payments server); the same tool call (lookup_payment, whose
// result holds an email address the example's guardrail logs) through two virtual servers of the
// same server, one guarded (payments-ops: the example's payments-pii guardrail, attached here to that
// virtual server) and one not (payments-plain), alternated call by call so both see the same
// machine load. Prints p50/p90/p99 of each and the ratio of the medians.
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SILENT } from '../compiler/src/pipeline/progress.ts';
import { startDemoStack } from '../demo/src/demo-stack.ts';
import { freeExamplePorts, remapExamplePorts } from '../testkit/example-ports.ts';
import { freePorts } from '../testkit/ports.ts';
import { copyExampleRepo, tempDir } from '../testkit/repo.ts';
import { memoryLogger } from '../xds-server/src/log.ts';
import { percentiles, round } from './lib/common.ts';

const PLAIN = [
  'apiVersion: gatehouse.dev/v1alpha1', 'kind: VirtualServer', 'metadata:', '  name: payments-plain', 'spec:',
  '  description: The payments ledger without guardrails (benchmark baseline).', '  members:', '    - server: payments', '      tools: ["*"]', '',
].join('\n');

async function main(quick: boolean): Promise<void> {
  const calls = quick ? 150 : 1000;
  const work = tempDir('gatehouse-bench-guardrails-');
  const ports = await freeExamplePorts();
  const [xds, authz, admin] = await freePorts(3);
  const root = copyExampleRepo(join(work.path, 'repo'), { 'registry/virtual-servers/payments-plain.yaml': PLAIN }, (path, text) => {
    const remapped = remapExamplePorts(text, ports);
    return path === 'registry/guardrails/payments-pii.yaml' ? remapped.replace('    servers: [payments]', '    virtualServers: [payments-ops]') : remapped;
  });
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
    const guarded = await connect('payments-ops');
    const plain = await connect('payments-plain');
    const timings: Record<'guarded' | 'plain', number[]> = { guarded: [], plain: [] };
    const call = async (client: Client, into: number[]) => {
      const started = performance.now();
      await client.callTool({ name: 'lookup_payment', arguments: { id: 'P-5001' } });
      into.push(performance.now() - started);
    };
    for (let i = 0; i < 20; i++) await Promise.all([call(guarded, []), call(plain, [])]); // warm-up
    for (let i = 0; i < calls; i++) {
      if (i % 2 === 0) {
        await call(guarded, timings.guarded);
        await call(plain, timings.plain);
      } else {
        await call(plain, timings.plain);
        await call(guarded, timings.guarded);
      }
    }
    await guarded.close();
    await plain.close();
    const g = percentiles(Float64Array.from(timings.guarded));
    const p = percentiles(Float64Array.from(timings.plain));
    const result = {
      calls,
      inspected_ms: { p50: round(g.p50), p90: round(g.p90), p99: round(g.p99) },
      uninspected_ms: { p50: round(p.p50), p90: round(p.p90), p99: round(p.p99) },
      added_ms_p50: round(g.p50 - p.p50),
      ratio_p50: round(g.p50 / p.p50),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await stack.stop();
    work.remove();
  }
}

main(process.argv.includes('--quick')).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench/guardrails: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
