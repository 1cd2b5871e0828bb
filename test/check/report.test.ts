// `gatehouse check` end to end, in-process: a change that gains and loses access and changes the
// configuration, with golden Markdown (the PR comment), SARIF and text; the unchanged example; and
// the edge cases of the base revision (unknown ref, a base that does not compile, no base).
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BaseRevisionError } from '../../review/src/check/base-revision.ts';
import { CheckCache } from '../../review/src/check/check-cache.ts';
import { renderCheckMarkdown, REPORT_MARKER } from '../../review/src/check/render-markdown.ts';
import { runCheck } from '../../review/src/check/run-check.ts';
import { renderReport } from '../../cli/src/check-command.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { expectGolden } from '../harness/golden.ts';
import { tempDir } from '../../testkit/repo.ts';
import { applyChange, git, gitFixture, type HeadChange } from './git-fixture.ts';

const GOLDEN = resolve(import.meta.dirname, 'golden');
const work = tempDir('gatehouse-check-report-');
const cache = new CheckCache();
afterAll(() => work.remove());

const CRM_SERVER = `# yaml-language-server: $schema=../../schemas/McpServer.schema.json
apiVersion: gatehouse.dev/v1alpha1
kind: McpServer
metadata:
  name: crm
spec:
  description: Customer records.
  owner: support
  upstream:
    url: http://127.0.0.1:7104/mcp
  dataClassification: confidential
  region: eu-west-1
  tools:
    - name: find_customer
      risk: low
    - name: merge_customers
      description: Merges two customer records into one; cannot be undone.
      risk: high
`;

const CRM_VIRTUAL_SERVER = `# yaml-language-server: $schema=../../schemas/VirtualServer.schema.json
apiVersion: gatehouse.dev/v1alpha1
kind: VirtualServer
metadata:
  name: crm
spec:
  description: Customer records.
  members:
    - server: crm
      tools: ["*"]
`;

/** Gains and losses for several teams, a new server, an upstream URL, a removed virtual server, a changed provider. */
const ACCESS_AND_CONFIG: HeadChange = {
  files: {
    'registry/mcp-servers/crm.yaml': CRM_SERVER,
    'registry/virtual-servers/crm.yaml': CRM_VIRTUAL_SERVER,
    'registry/virtual-servers/knowledge.yaml': null,
  },
  replace: {
    'registry/grants/support.yaml': [['add_comment, close_ticket]', 'add_comment, delete_ticket]']],
    'registry/grants/payments.yaml': [['issue_refund]', 'issue_refund, transfer_funds]']],
    'registry/grants/engineering.yaml': [
      [
        '      tools: [search_tickets, get_ticket, delete_ticket]',
        '      tools: [search_tickets, get_ticket, delete_ticket]\n    - server: crm\n      tools: ["*"]',
      ],
    ],
    'registry/mcp-servers/docs.yaml': [['http://127.0.0.1:7102/mcp', 'http://127.0.0.1:7202/mcp']],
    'registry/identity-providers/dev-idp.yaml': [['scopes: [mcp]', 'scopes: [mcp, openid]']],
  },
};

describe('gatehouse check --base', () => {
  it('reports who gains and loses which tool, the reviewers, the configuration changes and the gates (golden)', async () => {
    const root = gitFixture(join(work.path, 'access-and-config'), ACCESS_AND_CONFIG);
    const report = await runCheck({ root, base: 'main', skipEnvoyValidate: true, cache }, SILENT);

    expect(report.base?.ref).toBe('main');
    expect(report.base?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(report.access?.changes).toEqual(
      expect.arrayContaining([
        { subject: 'team:support', change: 'gained', server: 'tickets', tool: 'delete_ticket', risk: 'high', owner: 'support' },
        { subject: 'team:support', change: 'lost', server: 'tickets', tool: 'close_ticket', risk: 'medium', owner: 'support' },
        { subject: 'team:payments', change: 'gained', server: 'payments', tool: 'transfer_funds', risk: 'critical', owner: 'payments' },
        { subject: 'team:engineering', change: 'gained', server: 'crm', tool: 'merge_customers', risk: 'high', owner: 'support' },
        { subject: 'team:engineering', change: 'lost', server: 'docs', tool: 'update_page', risk: 'medium', owner: 'engineering' },
      ]),
    );
    expect(report.reviewers.map((r) => r.team)).toEqual(['payments', 'support']);
    expect(report.config?.changes.map((c) => `${c.change} ${c.kind} ${c.name}`)).toEqual([
      'added server crm',
      'changed server docs',
      'added virtual-server crm',
      'removed virtual-server knowledge',
      'changed identity-provider dev-idp',
      'changed gateway local',
    ]);
    expect(report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['high-risk-broad-grant']);

    expectGolden(renderReport(report, 'markdown'), join(GOLDEN, 'access-and-config.md'));
    expectGolden(renderReport(report, 'sarif'), join(GOLDEN, 'access-and-config.sarif.json'));
    expectGolden(renderReport(report, 'text'), join(GOLDEN, 'access-and-config.txt'));
  });

  it('passes every gate on the unchanged example, with an empty diff (golden)', async () => {
    const root = gitFixture(join(work.path, 'unchanged'));
    const report = await runCheck({ root, base: 'main', skipEnvoyValidate: true, cache }, SILENT);
    expect(report.diagnostics).toEqual([]);
    expect(report.gates.map((g) => g.status)).toEqual(report.gates.map(() => 'passed'));
    expect(report.access?.changes).toEqual([]);
    expect(report.config?.changes).toEqual([]);
    expectGolden(renderReport(report, 'markdown'), join(GOLDEN, 'unchanged.md'));
    expectGolden(renderReport(report, 'sarif'), join(GOLDEN, 'unchanged.sarif.json'));
  });

  it('names the ref and exits with a usage error when the base does not exist', async () => {
    const root = gitFixture(join(work.path, 'unknown-ref'));
    await expect(runCheck({ root, base: 'origin/nope', skipEnvoyValidate: true, cache }, SILENT)).rejects.toThrow(BaseRevisionError);
    await expect(runCheck({ root, base: 'origin/nope', skipEnvoyValidate: true, cache }, SILENT)).rejects.toThrow(/--base origin\/nope: no such branch, tag or commit.*fetch-depth: 0/);
  });

  it('warns when the base does not compile, and still checks the head', async () => {
    const root = gitFixture(join(work.path, 'broken-base'));
    git(root, 'checkout', '-q', '-b', 'broken', 'main');
    applyChange(root, { replace: { 'registry/grants/support.yaml': [['- server: docs', '- server: wiki']] } });
    git(root, 'commit', '-q', '-am', 'a broken base');
    git(root, 'checkout', '-q', 'change');
    const report = await runCheck({ root, base: 'broken', skipEnvoyValidate: true, cache }, SILENT);
    expect(report.diagnostics).toEqual([expect.objectContaining({ code: 'base-not-compiled', severity: 'warning' })]);
    expect(report.diagnostics[0]!.message).toContain('registry/grants/support.yaml:12: Grant "support-helpdesk" refers to McpServer "wiki"');
    expect(report.access).toBeUndefined();
    expect(report.gates.find((g) => g.code === 'new-high-risk-grant')).toMatchObject({ status: 'skipped' });
    expect(report.gates.find((g) => g.code === 'default-allow')).toMatchObject({ status: 'passed' });
  });
});

describe('gatehouse check without --base', () => {
  it('runs every gate that needs no base and shows no diff', async () => {
    const root = gitFixture(join(work.path, 'no-base'));
    const report = await runCheck({ root, skipEnvoyValidate: true, cache }, SILENT);
    expect(report.base).toBeUndefined();
    expect(report.access).toBeUndefined();
    expect(report.gates.filter((g) => g.status === 'skipped').map((g) => [g.code, g.reason])).toEqual([
      ['deny-rule-removed', 'needs --base'],
      ['new-high-risk-grant', 'needs --base'],
    ]);
    const markdown = renderCheckMarkdown(report);
    expect(markdown.startsWith(`${REPORT_MARKER}\n`)).toBe(true);
    expect(markdown).toContain('no base revision: run with `--base` for the access diff');
  });

  it('does not run a gate that is off, and reports the registry errors that stop the compile', async () => {
    const root = gitFixture(join(work.path, 'off-and-broken'), {
      replace: {
        'registry/check-settings/checks.yaml': [
          ['    new-high-risk-grant: warning', '    new-high-risk-grant: warning\n    rego-lint: off\n    default-allow: off'],
        ],
        'registry/grants/support.yaml': [['- server: docs', '- server: wiki']],
      },
    });
    const report = await runCheck({ root, skipEnvoyValidate: true, cache }, SILENT);
    expect(report.gates.find((g) => g.code === 'rego-lint')).toMatchObject({ status: 'off', level: 'off' });
    expect(report.gates.find((g) => g.code === 'default-allow')).toMatchObject({ status: 'off' });
    expect(report.gates.find((g) => g.code === 'high-risk-broad-grant'))
      .toMatchObject({ status: 'skipped', reason: 'the head registry has errors' });
    expect(report.gates.find((g) => g.code === 'rego-tests-failing')).toMatchObject({ status: 'passed' });
    expect(report.diagnostics).toMatchObject([{ code: 'unknown-reference', location: { file: 'registry/grants/support.yaml', line: 12 } }]);
  });
});
