// `gatehouse preflight` end to end (compile in memory, the pinned OPA's coverage, a compiled artifact
// set): every point passes on the production example organisation (examples/templates, signed), and
// every point fails on a registry built with one defect per point (bad-org.ts), with the evidence
// naming the defect and the exit code 1.
import { once } from 'node:events';
import { cpSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeyPair, parsePrivateKey, parsePublicKey } from '../../artifacts/src/signature.ts';
import type { Diagnostic } from '../../compiler/src/diagnostics/diagnostic.ts';
import { compile } from '../../compiler/src/pipeline/compile.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import type { PointResult } from '../../review/src/preflight/point.ts';
import { PREFLIGHT_POINTS } from '../../review/src/preflight/points.ts';
import { preflightExitCode, type PreflightReport } from '../../review/src/preflight/report.ts';
import { runPreflight } from '../../review/src/preflight/run-preflight.ts';
import { tempDir } from '../../testkit/repo.ts';
import { DEFECTS, TEMPLATES_ROOT, writeBadOrg } from './bad-org.ts';

const temp = tempDir('gatehouse-preflight-');
afterAll(() => temp.remove());

/** Compiles the organisation (signed or not), then runs preflight on it and on the compiled set. */
async function preflight(root: string, options: { signed: boolean }): Promise<{ report: PreflightReport; compileDiagnostics: readonly Diagnostic[] }> {
  const out = join(temp.path, `artifacts-${String(options.signed)}-${root === TEMPLATES_ROOT ? 'good' : 'bad'}`);
  const keys = generateSigningKeyPair();
  const compiled = await compile(
    { root, out, revision: 'test', skipEnvoyValidate: true, ...(options.signed ? { signingKey: parsePrivateKey(keys.privatePem, 'test key') } : {}) },
    SILENT,
  );
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const report = await runPreflight({ root, artifacts: out, trustedKeys: [parsePublicKey(keys.publicPem, 'test key')] }, SILENT);
  if ('diagnostics' in report) throw new Error(`does not compile: ${JSON.stringify(report.diagnostics)}`);
  return { report, compileDiagnostics: compiled.diagnostics };
}

const byId = (report: PreflightReport) => new Map<string, PointResult>(report.points.map((p) => [p.id, p]));

describe('preflight on the production example organisation (examples/templates)', () => {
  let report: PreflightReport;
  let compileDiagnostics: readonly Diagnostic[];
  beforeAll(async () => {
    ({ report, compileDiagnostics } = await preflight(TEMPLATES_ROOT, { signed: true }));
  }, 60_000);

  it('the templates compile without a warning', () => {
    expect(compileDiagnostics).toEqual([]);
  });

  it('passes all 12 points, in checklist order, each with evidence', () => {
    expect(report.points.map((p) => p.id)).toEqual(PREFLIGHT_POINTS.map((p) => p.id));
    expect(report.points).toHaveLength(12);
    for (const point of report.points) {
      expect({ id: point.id, status: point.status }).toEqual({ id: point.id, status: 'passed' });
      expect(point.evidence.length).toBeGreaterThan(0);
      expect(point.fix).toBeUndefined();
    }
    expect(report.summary).toEqual({ passed: 12, failed: 0, notApplicable: 0 });
    expect(preflightExitCode(report)).toBe(0);
  });

  it('shows the evidence a reviewer checks', () => {
    const points = byId(report);
    expect(points.get('security-isolation')?.evidence).toContain('restricted server payments is served by gateway restricted in fleet restricted');
    expect(points.get('tools-pinned')?.evidence).toEqual(['13 of 13 tools pinned in tools.lock.yaml']);
    expect(points.get('sso-rbac-mapping')?.evidence.join('\n')).toMatch(/upstream identity: \d+ still on a shared static secret \(.*payments.*\); 0 on token exchange/);
    expect(points.get('artifacts-signed')?.evidence.join('\n')).toMatch(/is signed by trusted key [0-9a-f]{64}/);
  });
});

describe('preflight on a registry with one defect per point', () => {
  let report: PreflightReport;
  beforeAll(async () => {
    const root = writeBadOrg(join(temp.path, 'bad-org'));
    ({ report } = await preflight(root, { signed: false }));
  }, 60_000);

  it('fails every one of the 12 points, each with a fix, and exits 1', () => {
    for (const point of report.points) {
      expect({ id: point.id, status: point.status }).toEqual({ id: point.id, status: 'failed' });
      expect(point.fix).toBeTruthy();
    }
    expect(report.summary).toEqual({ passed: 0, failed: 12, notApplicable: 0 });
    expect(preflightExitCode(report)).toBe(1);
    // Every point has a defect: the list in bad-org.ts and the unsigned artifacts.
    expect(new Set([...DEFECTS.map((d) => d.point), 'artifacts-signed'])).toEqual(new Set(PREFLIGHT_POINTS.map((p) => p.id)));
  });

  it('names the defect in the evidence', () => {
    const evidence = (id: string) => byId(report).get(id)?.evidence.join('\n') ?? '';
    expect(evidence('sso-rbac-mapping')).toContain('team support (registry/teams/support.yaml:5) maps to no identity-provider group');
    expect(evidence('audit-retention')).toContain(
      'gateway edge (registry/gateways/edge.yaml:7) keeps its audit log 30d (retain.maxAge), less than the minimum 365d',
    );
    expect(evidence('data-sovereignty')).toContain('server docs (registry/mcp-servers/docs.yaml:5) runs in us-east-1, outside eu-*');
    expect(evidence('cost-attribution')).toContain('team engineering (registry/teams/engineering.yaml:5) has no costCenter');
    expect(evidence('trace-correlation')).toContain('gateway restricted (registry/gateways/restricted.yaml:7) samples 0% of requests');
    expect(evidence('security-isolation')).toContain(
      'restricted server payments is served by gateway edge in fleet edge, not one of the restricted fleets (restricted)',
    );
    expect(evidence('mtls')).toContain('server docs (registry/mcp-servers/docs.yaml:5) is reached over plaintext http://docs.eu-west-1.internal/mcp');
    expect(evidence('artifacts-signed')).toContain('the artifacts are not signed (no manifest.sig)');
    expect(evidence('pii-guardrails')).toMatch(/tool tickets\/add_comment \(registry\/mcp-servers\/tickets\.yaml:\d+\) records its arguments raw on edge/);
    expect(evidence('tools-pinned')).toContain('tools.lock.yaml does not exist');
    expect(evidence('rego-coverage')).toMatch(/opa test --coverage: \d+(\.\d)?% \(threshold 100%\)/);
    expect(evidence('break-glass')).toContain('the procedure docs/emergency.md does not exist');
  });
});

describe('preflight without declarations', () => {
  it('fails the points whose declaration is missing, and says which field to add', async () => {
    const root = join(temp.path, 'undeclared');
    cpSync(TEMPLATES_ROOT, root, { recursive: true });
    const empty = 'apiVersion: gatehouse.dev/v1alpha1\nkind: CheckSettings\nmetadata:\n  name: checks\nspec: {}\n';
    writeFileSync(join(root, 'registry/check-settings/checks.yaml'), empty);
    const report = await runPreflight({ root }, SILENT);
    if ('diagnostics' in report) throw new Error('does not compile');
    const points = byId(report);
    expect(points.get('audit-retention')?.evidence).toEqual(['CheckSettings declares no governance.auditRetention']);
    expect(points.get('pii-guardrails')?.fix).toContain('governance.piiServers');
    expect(points.get('security-isolation')?.fix).toContain('governance.isolation');
    expect(points.get('break-glass')?.evidence).toEqual(['CheckSettings declares no governance.breakGlass']);
    expect(points.get('data-sovereignty')?.evidence).toEqual(['CheckSettings declares no upstreams.allowedRegions']);
    expect(points.get('artifacts-signed')?.evidence[0]).toContain('neither an artifact set (--artifacts DIR) nor a control plane (--live URL)');
  }, 60_000);
});

describe('preflight --live', () => {
  it('reads the control plane\'s /status with the admin token: transport, signing keys, the set it runs; resolves the upstreams', async () => {
    const token = 'a-test-admin-token-0123456789';
    const keyId = 'ee21a6e60ecac8b88bc61170eba170c0ff6edbe1f4cabcfe6c25385b2880bd9f';
    // The fields of ControlPlane.status() that preflight reads (xds-server/src/control-plane.ts).
    const status = {
      artifacts: { loaded: { version: 'a6c25509a8bc2a29', sourceRevision: 'abc123', loadedAt: '2026-12-02T06:00:00Z', signedBy: keyId }, trustedKeys: [keyId] },
      fleets: {},
      nodes: [{ id: 'envoy-1' }],
      transport: 'plaintext',
    };
    const server = createServer((request, response) => {
      const authorized = request.headers.authorization === `Bearer ${token}`;
      response.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' }).end(authorized ? JSON.stringify(status) : '{}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const url = `http://127.0.0.1:${port}`;
      const report = await runPreflight({ root: TEMPLATES_ROOT, live: { url, token } }, SILENT);
      if ('diagnostics' in report) throw new Error('does not compile');
      const points = byId(report);
      expect(points.get('mtls')?.status).toBe('failed');
      expect(points.get('mtls')?.evidence).toContain(`control plane ${url} serves Envoy over plaintext gRPC (--insecure-plaintext)`);
      expect(points.get('artifacts-signed')).toMatchObject({
        status: 'passed',
        evidence: [`control plane ${url} runs version a6c25509a8bc2a29 (abc123) signed by ${keyId}; 1 Envoy node connected`],
      });
      // The templates' upstreams (*.internal) do not resolve outside the organisation's network.
      expect(points.get('data-sovereignty')?.status).toBe('failed');
      expect(points.get('data-sovereignty')?.evidence.join('\n')).toMatch(/its upstream docs\.eu-west-1\.internal does not resolve \(E[A-Z]+\)/);

      const refused = await runPreflight({ root: TEMPLATES_ROOT, live: { url } }, SILENT);
      if ('diagnostics' in refused) throw new Error('does not compile');
      expect(byId(refused).get('artifacts-signed')?.evidence).toEqual([`control plane ${url}: GET ${url}/status answered 401 (give --admin-token-file)`]);
    } finally {
      server.close();
    }
  }, 60_000);
});
