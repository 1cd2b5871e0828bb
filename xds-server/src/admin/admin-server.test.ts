import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdminServer } from './admin-server.ts';
import { createMetrics } from './metrics.ts';

let close: (() => void) | undefined;
afterEach(() => close?.());

async function start(ready: boolean) {
  const metrics = createMetrics();
  metrics.xdsNacks.inc({ type: 'listeners' });
  const server = createAdminServer({ ready: () => ready, status: () => ({ artifacts: { loaded: { version: 'v1' } } }), metrics });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  close = () => server.close();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('admin endpoint', () => {
  it('answers health, readiness, status and metrics', async () => {
    const url = await start(true);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${url}/status`)).json()).toEqual({ artifacts: { loaded: { version: 'v1' } } });
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('gatehouse_xds_nacks_total{type="listeners"} 1');
  });

  it('is not ready before artifacts load, and refuses other paths and methods', async () => {
    const url = await start(false);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/status`, { method: 'POST' })).status).toBe(405);
  });
});
