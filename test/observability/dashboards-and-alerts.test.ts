// The Grafana dashboard and Prometheus alert rules shipped in observability/ use only metrics the
// control plane really exports (scraped from a started one), the rules pass `promtool check rules`
// and their unit tests (`promtool test rules`), and the exposition passes `promtool check metrics`.
// promtool is installed only on request (its build downloads about 1.8 GB of Go modules), so its
// checks run with `npm run test:observability`, which installs it first; the rest runs in `npm test`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ControlPlane } from '../../xds-server/src/control-plane.ts';
import { memoryLogger } from '../../xds-server/src/log.ts';
import { compileExample } from '../../testkit/compiled-example.ts';
import { PROJECT_ROOT, requireTool } from '../../toolchain/src/tools.ts';
import { run } from '../../toolchain/src/run.ts';

const OBSERVABILITY = join(PROJECT_ROOT, 'observability');
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-dashboards-'));
let exposition = '';
let version = '';

beforeAll(async () => {
  const compiled = await compileExample('dashboards', join(dir, 'dist'));
  version = compiled.manifest!.version;
  const cp = new ControlPlane({
    artifactsDir: join(dir, 'dist'),
    host: '127.0.0.1',
    xdsPort: 0,
    authzPort: 0,
    adminPort: 0,
    advertiseHost: '127.0.0.1',
    env: { GATEHOUSE_SECRET_TICKETS_API_TOKEN: 't', GATEHOUSE_SECRET_PAYMENTS_API_KEY: 'k' },
    logger: memoryLogger(),
    pollIntervalMs: 60_000,
    auditDir: join(dir, 'audit'),
  });
  const ports = await cp.start();
  try {
    exposition = await (await fetch(`http://127.0.0.1:${ports.admin}/metrics`)).text();
  } finally {
    await cp.stop();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Metric families in the exposition, by name, with their type. */
function families(text: string): Map<string, string> {
  return new Map(text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => {
    const [, , name, type] = l.split(' ');
    return [name!, type!];
  }));
}

/** The Gatehouse metric names a PromQL expression reads, histogram series mapped to their family. */
function metricsIn(expr: string, known: Map<string, string>): string[] {
  return [...expr.matchAll(/\bgatehouse_[a-z0-9_]+/g)].map(([name]) => {
    const base = name.replace(/_(bucket|sum|count)$/, '');
    return known.get(base) === 'histogram' ? base : name;
  });
}

interface Panel {
  readonly type: string;
  readonly title: string;
  readonly gridPos: { h: number; w: number; x: number; y: number };
  readonly targets?: { refId: string; expr: string }[];
}

describe('observability/', () => {
  it('the control plane exports the artifact version in force, and counters at zero from the start', () => {
    expect(exposition).toMatch(new RegExp(`^gatehouse_artifact_info\\{version="${version}",revision="dashboards"\\} 1$`, 'm'));
    expect(exposition).toMatch(/^gatehouse_artifact_loaded_timestamp_seconds \d{10}/m);
    expect(exposition).toContain('gatehouse_authz_decisions_total{outcome="error",virtual_server=""} 0');
    expect(exposition).toContain('gatehouse_audit_records_total{gateway="local"} 0');
  });

  it('the Grafana dashboard is well formed and uses only exported metrics', () => {
    const dashboard = JSON.parse(readFileSync(join(OBSERVABILITY, 'grafana-dashboard.json'), 'utf8')) as {
      uid: string; title: string; schemaVersion: number; panels: Panel[]; templating: { list: { name: string }[] };
    };
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'job', 'instance']);
    const known = families(exposition);
    const used = new Set<string>();
    const ids = new Set<number>();
    for (const panel of dashboard.panels) {
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
      if (panel.type === 'row') continue;
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) for (const name of metricsIn(target.expr, known)) used.add(name);
      ids.add((panel as unknown as { id: number }).id);
    }
    expect(ids.size).toBe(dashboard.panels.filter((p) => p.type !== 'row').length);
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((name) => !known.has(name))).toEqual([]);
  });

  it('the alert rules use only exported metrics', () => {
    const rules = parse(readFileSync(join(OBSERVABILITY, 'alerts.yaml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const known = families(exposition);
    const alerts = rules.groups.flatMap((g) => g.rules);
    expect(alerts.map((r) => r.alert)).toEqual(expect.arrayContaining([
      'GatehouseControlPlaneDown', 'GatehouseArtifactsStale', 'GatehouseArtifactReloadFailing', 'GatehouseExtAuthzErrors',
      'GatehouseDenySpike', 'GatehouseAuditWriteFailures',
    ]));
    const unknown = alerts.flatMap((r) => metricsIn(r.expr, known).filter((name) => !known.has(name)).map((name) => `${r.alert}: ${name}`));
    expect(unknown).toEqual([]);
  });

  const withPromtool = it.runIf(process.env.GATEHOUSE_PROMTOOL_TESTS === '1');

  withPromtool('promtool checks the rules and passes their unit tests', async () => {
    const promtool = requireTool('promtool');
    const checked = await run(promtool, ['check', 'rules', 'alerts.yaml'], { cwd: OBSERVABILITY, timeoutMs: 60_000 });
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/SUCCESS: \d+ rules found/);
    const tested = await run(promtool, ['test', 'rules', 'alerts.test.yaml'], { cwd: OBSERVABILITY, timeoutMs: 60_000 });
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toContain('SUCCESS');
  });

  withPromtool('promtool finds no problem in the exposition', async () => {
    const linted = await run(requireTool('promtool'), ['check', 'metrics'], { input: exposition, timeoutMs: 60_000 });
    expect(linted.stdout + linted.stderr).toBe('');
    expect(linted.code).toBe(0);
  });
});
