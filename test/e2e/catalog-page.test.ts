// The catalog page in a real headless browser (Chromium from the distribution's packages, driven
// by Playwright): the control plane serves the example organisation, real calls go through Envoy
// (one allowed, two denied, one with a tool name that is an HTML tag), and the page shows the
// servers, a tool's risk and cost, the access matrix, the artifact version and the denials, with
// the admin token, without a request to any host but this one, with JavaScript on and off.
// UPDATE_SCREENSHOTS=1 also writes docs/catalog/*.png (checked in, shown in the README).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installBrowser } from '../../toolchain/src/browser.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { eventually, postMcp, startTestStack, type TestStack } from '../harness/stack.ts';

const ADMIN_TOKEN = 'catalog-e2e-admin-token-0123456789';
const HOSTILE_TOOL = '<img src=x onerror="window.catalogInjected=1">';
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(PROJECT_ROOT, 'docs', 'catalog') : undefined;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

let stack: TestStack;
let browser: Browser;
let catalogUrl: string;
let version: string;

beforeAll(async () => {
  // The browser test needs Chromium: installed here (apt-get) when missing; never skipped.
  const status = await installBrowser((line) => process.stderr.write(`catalog-page test: ${line}\n`));
  if (!status.ok) throw new Error(`the catalog page test needs Chromium and cannot get it: ${status.detail}`);
  stack = await startTestStack({ adminToken: ADMIN_TOKEN });
  catalogUrl = `http://127.0.0.1:${stack.ports.admin}/catalog`;
  const statusPage = await fetch(`http://127.0.0.1:${stack.ports.admin}/status`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  version = ((await statusPage.json()) as { artifacts: { loaded: { version: string } } }).artifacts.loaded.version;
  // An allowed call (charged to support) and two denied ones, through Envoy.
  const agent = await stack.backends.idp.mint({ sub: 'sam', email: 'sam@example.com', groups: ['support-agents'], audience: stack.endpoint('helpdesk') });
  const client = await stack.connect('helpdesk', agent);
  await client.callTool({ name: 'tickets__get_ticket', arguments: { id: 'T-1001' } });
  await client.close();
  const headers = { authorization: `Bearer ${agent}`, 'mcp-protocol-version': '2025-06-18' };
  for (const [id, name] of [[7, 'tickets__delete_ticket'], [8, HOSTILE_TOOL]] as const) {
    const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });
    const denied = await postMcp(stack.endpoint('helpdesk'), body, headers);
    expect(denied.status).toBe(403);
  }
  await eventually(async () => {
    const page = await (await fetch(catalogUrl, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    return page.includes('tickets__delete_ticket') && page.includes('&lt;img src=x') && page.includes('sam@example.com');
  }, 20_000, 'the denials and the caller on the catalog page');
  browser = await chromium.launch({ executablePath: status.path, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (stack as TestStack | undefined)?.dispose();
});

/** Opens the page with the admin token; returns it with every URL it requested and any console error. */
async function open(javaScriptEnabled: boolean): Promise<{ page: Page; requested: URL[]; errors: string[] }> {
  const extraHTTPHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const context = await browser.newContext({ javaScriptEnabled, extraHTTPHeaders, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const requested: URL[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url())));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(catalogUrl);
  expect(response?.status()).toBe(200);
  return { page, requested, errors };
}

describe('the catalog page in a headless browser', () => {
  it('is refused without the admin token', async () => {
    const context = await browser.newContext();
    const response = await (await context.newPage()).goto(catalogUrl);
    expect(response?.status()).toBe(401);
    await context.close();
  });

  it('shows the example organisation: servers, a tool with its risk and cost, teams, access, version and denials', async () => {
    const { page, requested, errors } = await open(true);
    await expect.poll(() => page.locator('#artifact-version').textContent()).toBe(version);
    const refund = page.locator('#servers-table tr', { hasText: 'transfer_funds' });
    await expect.poll(() => refund.locator('td').allTextContents()).toEqual(['payments', 'payments', 'restricted', 'eu-central-1', 'CC-4100-PAY',
      'transfer_funds', 'critical', '0.1']);
    const support = page.locator('#access-by-team tr', { hasText: 'team:support' });
    expect(await support.textContent()).toContain('create_ticket');
    expect(await page.locator('#access-by-person tr', { hasText: 'sam@example.com' }).textContent()).toContain('teams: support');
    const helpdesk = page.locator('#virtual-servers-table tr', { hasText: 'helpdesk' });
    expect(await helpdesk.textContent()).toContain(stack.endpoint('helpdesk'));
    const supportCost = await page.locator('#costs-table tr', { hasText: 'support' }).first().locator('td').allTextContents();
    expect(supportCost.slice(0, 2)).toEqual(['support', 'CC-2200']);
    expect(Number(supportCost[4])).toBeGreaterThanOrEqual(1);
    const denial = page.locator('#denials-table tr', { hasText: 'tickets__delete_ticket' });
    expect(await denial.textContent()).toContain('sam@example.com');
    expect(await denial.textContent()).toContain('deny');
    // The hostile tool name is text on the page, and nothing ran.
    expect(await page.locator('#denials-table').textContent()).toContain(HOSTILE_TOOL);
    expect(await page.locator('#denials-table img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { catalogInjected?: number }).catalogInjected)).toBeUndefined();
    // The filter (the page's one script, allowed by the CSP) hides the rows without the text.
    await page.locator('#filter').fill('transfer_funds');
    await expect.poll(() => page.locator('#servers-table tbody tr:visible').count()).toBe(1);
    await page.locator('#filter').fill('');
    await page.locator('#filter').blur();
    expect(errors).toEqual([]);
    expect(requested.filter((url) => url.hostname !== '127.0.0.1').map((url) => url.href)).toEqual([]);
    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'catalog.png'), fullPage: true });
      await page.locator('#access').screenshot({ path: join(SCREENSHOTS, 'catalog-access.png') });
    }
    await page.context().close();
  }, 60_000);

  it('reads the same without JavaScript (the filter box stays hidden)', async () => {
    const { page, requested } = await open(false);
    expect(await page.locator('#artifact-version').textContent()).toBe(version);
    expect(await page.locator('#servers-table tbody tr').count()).toBeGreaterThan(10);
    expect(await page.locator('#filter').isVisible()).toBe(false);
    expect(requested.every((url) => url.hostname === '127.0.0.1')).toBe(true);
    await page.context().close();
  }, 30_000);
});
