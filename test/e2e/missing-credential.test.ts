// One server's upstream credential goes missing on a running control plane (issue 12): the new
// artifact set still loads, the other servers keep working through the real Envoy, the server
// without its credential fails closed (its upstream gets nothing, not even a call without the
// credential; the client reads a JSON-RPC error naming the server as unavailable), and /status names the secret.
import { rmSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, postMcp, startTestStack, type TestStack } from '../harness/stack.ts';
import { INITIALIZE } from '../harness/raw-mcp.ts';


let stack: TestStack;
let supportToken: string;
let paymentsToken: string;

beforeAll(async () => {
  stack = await startTestStack();
  supportToken = (await stack.tokenFor('support'))!;
  paymentsToken = (await stack.tokenFor('payments'))!;
});
// `stack` is unset when beforeAll failed.
afterAll(async () => (stack as TestStack | undefined)?.dispose());

const readable = (error: unknown) => (error instanceof Error ? error.message : String(error));
const missingSecrets = () => (stack.controlPlane.status().artifacts as { missingCredentials?: { secretRef: string }[] }).missingCredentials ?? [];

async function ticketsWork(): Promise<boolean> {
  const client = await stack.connect('helpdesk', supportToken);
  const result = await client.callTool({ name: 'tickets__get_ticket', arguments: { id: 'T-1001' } });
  await client.close();
  return JSON.stringify(result.content).includes('Refund not received');
}

describe('a missing upstream credential', () => {
  it('closes only its own server: tickets keeps working, payments is refused and its upstream gets nothing', async () => {
    expect(await ticketsWork()).toBe(true);
    const before = await stack.connect('payments-ops', paymentsToken);
    expect((await before.listTools()).tools.length).toBeGreaterThan(0);
    await before.close();

    // The payments secret disappears, and a new artifact set (any change) is deployed.
    rmSync(join(stack.artifactsDir, '..', 'secrets', 'payments-api-key'));
    const docs = join(stack.root, 'registry', 'mcp-servers', 'docs.yaml');
    writeFileSync(docs, readFileSync(docs, 'utf8').replace('    timeout: 10s', '    timeout: 11s'));
    const servedBefore = (stack.controlPlane.status().artifacts as { loaded?: { version: string } }).loaded?.version;
    const compiled = await stack.recompile();
    expect(compiled.ok, compiled.report).toBe(true);
    // A new set (the control plane may have loaded it already: it polls while the compiler runs).
    expect(compiled.version).not.toBe(servedBefore);
    const loaded = () => Promise.resolve(missingSecrets().some((m) => m.secretRef === 'payments-api-key'));
    await eventually(loaded, 10_000, 'the set with a missing credential loads').catch((error: unknown) => {
      throw new Error(`${readable(error)}; status ${JSON.stringify(stack.controlPlane.status().artifacts)}; log ${stack.logs.slice(-5).join(' | ')}`);
    });
    expect((stack.controlPlane.status().artifacts as { loaded?: { version: string } }).loaded?.version).toBe(compiled.version);
    expect(stack.logs.join('\n')).toContain('upstream credential "payments-api-key" not found: calls to cluster mcp-server-payments are refused');

    const payments = stack.backends.servers.get('payments')!;
    // Envoy drops the payments hosts once the new clusters and endpoints arrive.
    await eventually(
      async () => {
        const refused = await stack.connect('payments-ops', paymentsToken).then(
          async (client) => {
            await client.close();
            return false;
          },
          () => true,
        );
        return refused;
      },
      10_000,
      'payments-ops is refused',
    );
    const refusal = await stack.connect('payments-ops', paymentsToken).catch((e: unknown) => e);
    expect(readable(refusal)).toMatch(/MCP server \\?"payments\\?" is unavailable/);
    // A raw client reads a JSON-RPC error that names the server, never the secret.
    const raw = await postMcp(stack.endpoint('payments-ops'), INITIALIZE, { authorization: `Bearer ${paymentsToken}` });
    expect(raw.status).toBe(503);
    const error = (JSON.parse(raw.text) as { error: { code: number; message: string } }).error;
    expect(error.code).toBe(-32000);
    expect(error.message).toMatch(/^gateway unavailable: MCP server "payments" is unavailable/);
    expect(raw.text).not.toContain('payments-api-key');
    const reached = payments.requests.length;
    await stack.connect('payments-ops', paymentsToken).catch(() => undefined);
    expect(payments.requests.length, 'a refused call never reaches the upstream').toBe(reached);
    expect(await ticketsWork()).toBe(true);
  });
});
