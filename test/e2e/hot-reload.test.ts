// Hot reload: a grant changes in the registry, the registry is recompiled, and the running Envoy
// enforces the new decision within seconds, with no restart and no failed request meanwhile.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestStack, type TestStack } from '../harness/stack.ts';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = (await stack.tokenFor('support'))!;
});
// `stack` is unset when beforeAll failed.
afterAll(async () => (stack as TestStack | undefined)?.dispose());

/** Whether support may call tickets__delete_ticket right now (on a fresh MCP session). */
async function supportMayDelete(id: string): Promise<boolean> {
  const client = await stack.connect('helpdesk', token);
  try {
    await client.callTool({ name: 'tickets__delete_ticket', arguments: { id } });
    return true;
  } catch (error) {
    if (!String(error).includes('has no grant')) throw error;
    return false;
  } finally {
    await client.close();
  }
}

describe('hot reload of a grant', () => {
  it('takes effect within seconds, without restarting Envoy, while traffic keeps flowing', async () => {
    const envoyPid = [...stack.envoys.values()][0]!.child.pid;
    expect(await supportMayDelete('T-1003')).toBe(false);
    const before = await stack.connect('helpdesk', token);
    expect((await before.listTools()).tools.map((t) => t.name)).not.toContain('tickets__delete_ticket');
    await before.close();

    // Background traffic: allowed calls on one long-lived session, for the whole change, at about 10 calls/s
    // (under the gateway's per-caller limit of 20/s, which an unpaced loop exceeds).
    const client = await stack.connect('helpdesk', token);
    let calls = 0;
    const failures: string[] = [];
    const traffic = { running: true };
    const background = (async () => {
      while (traffic.running) {
        try {
          await client.callTool({ name: 'tickets__search_tickets', arguments: { query: 'refund' } });
          calls++;
        } catch (error) {
          failures.push(String(error));
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const grant = join(stack.root, 'registry', 'grants', 'support.yaml');
    writeFileSync(grant, readFileSync(grant, 'utf8').replace('close_ticket]', 'close_ticket, delete_ticket]'));
    const compiled = await stack.recompile();
    expect(compiled.ok, compiled.report).toBe(true);
    const took = await eventually(() => supportMayDelete('T-1003'), 10_000, 'the new grant is enforced');
    // The caller's tool list follows the new policy too.
    const lister = await stack.connect('helpdesk', token);
    expect((await lister.listTools()).tools.map((t) => t.name)).toContain('tickets__delete_ticket');
    await lister.close();

    traffic.running = false;
    await background;
    await client.close();
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(10);
    expect(took).toBeLessThan(10_000);
    expect([...stack.envoys.values()][0]!.child.pid).toBe(envoyPid);
    expect((stack.controlPlane.status().artifacts as { loaded?: { version: string } }).loaded?.version).toBe(compiled.version);
  });
});
