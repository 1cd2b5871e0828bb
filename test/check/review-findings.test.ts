// Review findings a reviewer can trust: a grant nobody can use is flagged (it used to pass silently,
// because an organisation rule denies every such call), findings come one per cause rather than one
// per tool at the same line, and SARIF locations are files, never a folder.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../cli/src/check-command.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { CheckCache } from '../../review/src/check/check-cache.ts';
import { runCheck } from '../../review/src/check/run-check.ts';
import { tempDir } from '../../testkit/repo.ts';
import { applyChange, git, gitFixture, type HeadChange } from './git-fixture.ts';

const work = tempDir('gatehouse-review-findings-');
const cache = new CheckCache();
afterAll(() => work.remove());

let cases = 0;
const check = (change: HeadChange) => {
  const root = gitFixture(join(work.path, `case-${cases++}`), change);
  return runCheck({ root, base: 'main', skipEnvoyValidate: true, cache }, SILENT).then((report) => ({ root, report }));
};

/** Support (cleared for confidential) granted two tools of the restricted payments server, which policies/org/clearance.rego denies. */
const SUPPORT_GRANTED_PAYMENTS: HeadChange = {
  replace: {
    'registry/grants/support.yaml': [['    - server: docs', '    - server: payments\n      tools: [lookup_payment, list_invoices]\n    - server: docs']],
  },
};

describe('review findings', () => {
  it('flags a grant nobody can use, once for both tools, with the rule that denies them', async () => {
    const { report } = await check(SUPPORT_GRANTED_PAYMENTS);
    const unusable = report.diagnostics.filter((d) => d.code === 'unusable-grant');
    expect(unusable).toEqual([
      {
        code: 'unusable-grant',
        severity: 'warning',
        message:
          'Grant "support-helpdesk" gives team:support payments/list_invoices, payments/lookup_payment, which it can never call: ' +
          'the policy denies every such call: "server payments holds restricted data, above the subject\'s clearance (confidential)"',
        location: { file: 'registry/grants/support.yaml', line: 13, column: 14 },
        hint: 'Remove the tools from the grant, or change what makes the policy deny them (a team\'s clearance, an organisation rule).',
      },
    ]);
    // The access diff shows nothing gained: without the new gate the change passed silently.
    expect(report.access?.changes.filter((c) => c.server === 'payments')).toEqual([]);
  }, 120_000);

  it('reports the high-risk tools one grant line gains in one finding', async () => {
    const { report } = await check({
      replace: {
        'registry/mcp-servers/tickets.yaml': [
          ['Opens a ticket on behalf of a customer.\n      risk: medium', 'Opens a ticket on behalf of a customer.\n      risk: high'],
          ['Resolves a ticket and notifies the customer.\n      risk: medium', 'Resolves a ticket and notifies the customer.\n      risk: high'],
        ],
        'registry/grants/engineering.yaml': [
          ['tools: [search_tickets, get_ticket, delete_ticket]', 'tools: [search_tickets, get_ticket, delete_ticket, create_ticket, close_ticket]'],
        ],
      },
    });
    const gained = report.diagnostics.filter((d) => d.code === 'new-high-risk-grant');
    expect(gained.map((d) => `${d.location?.file}:${d.location?.line} ${d.message}`)).toEqual([
      'registry/grants/engineering.yaml:13 team:engineering gains the high-risk tools tickets/close_ticket, tickets/create_ticket; ' +
        'team support, which owns server tickets, must review',
    ]);
  }, 120_000);

  it('gives every SARIF result a file location, also a finding about the whole base revision', async () => {
    // The base (main) does not compile, so the check warns base-not-compiled: a finding with no file of its own.
    const root = gitFixture(join(work.path, 'broken-base'), {});
    git(root, 'checkout', '-q', 'main');
    applyChange(root, { files: { 'registry/teams/broken.yaml': 'kind: Team\nmetadata: [\n' } });
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'base: a broken team');
    git(root, 'checkout', '-q', 'change');
    const report = await runCheck({ root, base: 'main', skipEnvoyValidate: true, cache }, SILENT);
    expect(report.diagnostics.map((d) => d.code)).toContain('base-not-compiled');
    const sarif = JSON.parse(renderReport(report, 'sarif')) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const results = sarif.runs[0]?.results ?? [];
    for (const result of results) {
      const uri = result.locations[0]?.physicalLocation.artifactLocation.uri ?? '.';
      expect(statSync(join(root, uri)).isFile(), `${result.ruleId} points at ${uri}`).toBe(true);
    }
    expect(results.find((r) => r.ruleId === 'base-not-compiled')?.locations[0]?.physicalLocation.artifactLocation.uri)
      .toBe('registry/check-settings/checks.yaml');
  }, 120_000);
});
