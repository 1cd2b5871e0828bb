// The page as HTML: escaped values, one inline script the CSP allows by hash, nothing fetched.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CatalogModel } from './catalog-model.ts';
import { renderCatalog } from './render-catalog.ts';
import { PAGE_CSP } from './page-assets.ts';

const HOSTILE = '<script>alert("catalog")</script>';

const MODEL: CatalogModel = {
  generatedAt: '2026-12-02T09:00:00.000Z',
  artifact: { version: 'e52382625d297ca5', sourceRevision: 'abc123', loadedAt: '2026-12-02T08:59:00.000Z' },
  servers: [{
    name: 'payments', owner: 'payments', costCenter: 'CC-4100', classification: 'restricted', region: 'eu-central-1',
    tools: [{ name: 'transfer_funds', risk: 'critical', costPerCall: 0.1 }, { name: HOSTILE, risk: '"><b>risk', costPerCall: 0.30000000000000004 }],
  }],
  virtualServers: [{
    name: 'payments-ops', aggregated: false, members: [{ server: 'payments', tools: ['transfer_funds'] }],
    endpoints: [{ gateway: 'local', fleet: 'default', url: 'http://127.0.0.1:10000/mcp/payments-ops', description: 'Payments operations' }],
  }],
  teams: [{ name: 'payments', clearance: 'restricted', costCenter: 'CC-4100', groups: ['dev-idp/payments-ops'], calls: 3, cost: 0.15 }],
  otherCosts: [],
  accessByTeam: [
    { subject: 'team:payments', source: 'members: group dev-idp/payments-ops', teams: ['payments'], servers: { payments: ['transfer_funds'] } },
  ],
  accessByPerson: [{ subject: `${HOSTILE}@example.com`, source: 'seen', teams: ['payments'], servers: {} }],
  activity: {
    since: '2026-12-02T08:00:00.000Z',
    denials: [{
      time: '2026-12-02T08:30:00.000Z', gateway: 'local', virtualServer: 'payments-ops', subject: 'sam@example.com', team: 'support', tool: HOSTILE,
      method: 'tools/call', decision: 'deny', status: 403, reasons: [`no grant for ${HOSTILE}`],
    }],
    costs: [],
    people: [],
  },
};

describe('the catalog page', () => {
  const html = renderCatalog(MODEL);

  it('shows the artifact, servers and tools with risk and cost, virtual servers, access, costs and denials', () => {
    expect(html).toContain('<code id="artifact-version">e52382625d297ca5</code>');
    expect(html).toContain('<code id="source-revision">abc123</code>');
    expect(html).toContain('<span class="risk risk-critical">critical</span>');
    expect(html).toContain('0.3</span>');
    expect(html).toContain('<code>http://127.0.0.1:10000/mcp/payments-ops</code>');
    expect(html).toContain('<strong>team:payments</strong>');
    expect(html).toMatch(/<section id="denials">[\s\S]*decision-deny/);
  });

  it('renders a hostile tool name, subject or reason as text, never as markup', () => {
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain('"><b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;catalog&quot;)&lt;/script&gt;');
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('loads nothing from anywhere, and its one style and script are exactly those the CSP allows', () => {
    expect(html).not.toMatch(/\s(src|srcset)=/);
    expect(html).not.toMatch(/<link\b/);
    const inline = (tag: string) => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html)?.[1] ?? '';
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(PAGE_CSP).toContain(`script-src ${hash(inline('script'))}`);
    expect(PAGE_CSP).toContain(`style-src ${hash(inline('style'))}`);
    expect(PAGE_CSP).toMatch(/^default-src 'none'/);
  });

  it('says so when no artifact set is loaded and nothing happened yet', () => {
    const empty = renderCatalog({ ...MODEL, artifact: undefined, servers: [], virtualServers: [], teams: [], accessByTeam: [], accessByPerson: [],
      activity: { since: MODEL.activity.since, denials: [], costs: [], people: [] } });
    expect(empty).toContain('No artifact set is loaded yet.');
    expect(empty).toContain('No denials since this control plane started.');
  });
});
