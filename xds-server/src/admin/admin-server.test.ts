import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAccess, isLoopbackHost, type AdminAccess } from './admin-access.ts';
import { createAdminServer } from './admin-server.ts';
import { createMetrics } from './metrics.ts';

let close: (() => void) | undefined;
afterEach(() => close?.());

async function start(ready: boolean, access?: AdminAccess, catalog?: () => Promise<string>) {
  const metrics = createMetrics();
  metrics.xdsNacks.inc({ type: 'listeners' });
  const status = () => ({ artifacts: { loaded: { version: 'v1' } } });
  const server = createAdminServer({ ready: () => ready, status, metrics, ...(access ? { access } : {}), ...(catalog ? { catalog } : {}) });
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

  it('on loopback without a token, serves everything', async () => {
    const url = await start(true, adminAccess('127.0.0.1', undefined));
    expect((await fetch(`${url}/status`)).status).toBe(200);
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
  });

  it('with a token, serves /status and /metrics only to requests bearing it; health and readiness stay open', async () => {
    const token = 's3cret-admin-token-0123456789';
    // Bound to every address (as in a container): the token is what protects it.
    const url = await start(true, adminAccess('0.0.0.0', token));
    for (const path of ['/status', '/metrics']) {
      const none = await fetch(`${url}${path}`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await none.text()).not.toContain('v1');
      expect((await fetch(`${url}${path}`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      expect((await fetch(`${url}${path}`, { headers: { authorization: `Basic ${token}` } })).status).toBe(401);
      expect((await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    }
    const status = await fetch(`${url}/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(await status.json()).toEqual({ artifacts: { loaded: { version: 'v1' } } });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('serves the catalog page at /catalog behind the same token, with a CSP that lets the page fetch nothing', async () => {
    const token = 's3cret-admin-token-0123456789';
    const url = await start(true, adminAccess('0.0.0.0', token), () => Promise.resolve('<!doctype html><p>catalog of v1</p>'));
    const none = await fetch(`${url}/catalog`);
    expect(none.status).toBe(401);
    expect(await none.text()).not.toContain('catalog of v1');
    const page = await fetch(`${url}/catalog`, { headers: { authorization: `Bearer ${token}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(await page.text()).toContain('catalog of v1');
    expect((await fetch(`${url}/catalog`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
  });

  it('has no /catalog when no page is given', async () => {
    const url = await start(true);
    expect((await fetch(`${url}/catalog`)).status).toBe(404);
  });

  it('off loopback without a token, closes /status and /metrics rather than open them', async () => {
    const url = await start(true, adminAccess('0.0.0.0', undefined));
    expect((await fetch(`${url}/status`)).status).toBe(403);
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('--admin-token-file');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].map(isLoopbackHost)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '::', '10.0.0.1', '127.example.com'].map(isLoopbackHost)).toEqual([false, false, false, false]);
  });
});
