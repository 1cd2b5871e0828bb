// The catalog model of the example organisation, from its compiled artifact set loaded as the
// control plane loads it: what a reviewer sees on /catalog, without HTTP or a browser.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileExample } from '../../../testkit/compiled-example.ts';
import { callRecord } from '../../../testkit/audit-fixtures.ts';
import { loadArtifacts, type LoadedArtifacts } from '../artifacts/load.ts';
import { catalogModel, type CatalogModel } from './catalog-model.ts';
import { RecentActivity } from './recent-activity.ts';
import { AccessEvaluator } from './access-evaluator.ts';
import { personSubjects, teamSubjects } from './access-matrix.ts';

const SECRETS = { GATEHOUSE_SECRET_TICKETS_API_TOKEN: 'Bearer t0k3n', GATEHOUSE_SECRET_PAYMENTS_API_KEY: 'k3y' };
const NOW = new Date(Date.UTC(2026, 11, 2, 9, 0, 0));

let work: string;
let artifacts: LoadedArtifacts;
let model: CatalogModel;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gatehouse-catalog-'));
  await compileExample('catalog-rev', join(work, 'dist'));
  artifacts = await loadArtifacts({ dir: join(work, 'dist'), controlPlane: { host: '127.0.0.1', port: 18000 }, env: SECRETS });
  const activity = new RecentActivity({ denials: 10, people: 10 }, NOW);
  activity.observe(callRecord(1, { team: 'support', cost: 0.25 }), artifacts.audit);
  activity.observe(callRecord(2, { team: 'support', cost: 0.5 }), artifacts.audit);
  activity.observe(callRecord(3, { decision: 'deny', server: 'payments', tool: 'transfer_funds', public_tool: 'transfer_funds', cost: 0 }), artifacts.audit);
  const snapshot = activity.snapshot();
  const evaluator = new AccessEvaluator();
  const { registry } = artifacts.catalogSource;
  const access = {
    byTeam: await evaluator.rows(artifacts.engine, teamSubjects(registry)),
    byPerson: await evaluator.rows(artifacts.engine, personSubjects(registry, snapshot.people)),
  };
  model = catalogModel({ artifacts, loadedAt: NOW.toISOString(), access, activity: snapshot, now: NOW });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the catalog model of the example organisation', () => {
  it('names the artifact version and the source revision it was compiled from', () => {
    expect(model.artifact).toEqual({ version: artifacts.version, sourceRevision: 'catalog-rev', loadedAt: NOW.toISOString() });
  });

  it('lists servers with owner and classification, and their tools with risk and cost per call', () => {
    const payments = model.servers.find((s) => s.name === 'payments');
    expect(payments).toMatchObject({ owner: 'payments', classification: 'restricted', costCenter: 'CC-4100-PAY' });
    expect(payments?.tools.find((t) => t.name === 'transfer_funds')).toEqual({ name: 'transfer_funds', risk: 'critical', costPerCall: 0.1 });
    expect(model.servers.map((s) => s.name)).toEqual(['docs', 'inventory', 'payments', 'tickets', 'whoami']);
  });

  it('lists virtual servers with their members\' public tool names and the gateway URL that serves them', () => {
    const helpdesk = model.virtualServers.find((v) => v.name === 'helpdesk');
    expect(helpdesk?.aggregated).toBe(true);
    expect(helpdesk?.members.find((m) => m.server === 'docs')?.tools).toEqual(['docs__get_page', 'docs__search_docs']);
    expect(helpdesk?.endpoints).toMatchObject([{ gateway: 'local', fleet: 'default', url: 'http://127.0.0.1:10000/mcp/helpdesk' }]);
  });

  it('derives who can call what from the policy tools entrypoint, per team and for any signed-in user', () => {
    const row = (subject: string) => model.accessByTeam.find((r) => r.subject === subject);
    expect(row('team:support')?.servers.tickets).toContain('create_ticket');
    expect(row('team:support')?.servers.payments).toBeUndefined();
    expect(row('team:support')?.source).toBe('members: identity-provider group dev-idp/support-agents');
    expect(row('team:payments')?.servers.payments).toContain('issue_refund');
    expect(row('authenticated')?.servers).toEqual({ docs: ['search_docs'] });
  });

  it('shows people seen in requests with what their teams let them call', () => {
    const sam = model.accessByPerson.find((r) => r.subject === 'sam@example.com');
    expect(sam?.teams).toEqual(['support']);
    expect(sam?.servers).toEqual(model.accessByTeam.find((r) => r.subject === 'team:support')?.servers);
    expect(sam?.source).toMatch(/^seen 2026-11-01T09:00:03/);
  });

  it('sums the cost of allowed calls per team and keeps the denial', () => {
    expect(model.teams.find((t) => t.name === 'support')).toMatchObject({ calls: 2, cost: 0.75, costCenter: 'CC-2200' });
    expect(model.teams.find((t) => t.name === 'payments')).toMatchObject({ calls: 0, cost: 0 });
    expect(model.activity.denials.map((d) => d.tool)).toEqual(['transfer_funds']);
  });

  it('is empty, not failing, before an artifact set loads', () => {
    const empty = catalogModel({ activity: new RecentActivity().snapshot(), now: NOW });
    expect(empty.artifact).toBeUndefined();
    expect(empty.servers).toEqual([]);
  });
});
