// One git fixture per gate: a change to the example (on top of the base, the example itself) that
// makes the gate fire, and the diagnostic it must produce (code, severity, file:line).
import type { GateCode } from '../../compiler/src/schema/check-settings.ts';
import type { HeadChange } from './git-fixture.ts';

/** The docs server given the tickets server's credential. */
const DOCS_WITH_TICKETS_CREDENTIAL: [string, string][] = [['  region: eu-west-1\n', '  region: eu-west-1\n  credential:\n    secretRef: tickets-api-token\n']];

export interface GateCase {
  readonly gate: GateCode;
  readonly name: string;
  /** Registry gates run in one test file, Rego gates in another (the two run in parallel). */
  readonly group: 'registry' | 'rego';
  readonly change: HeadChange;
  readonly expect: {
    readonly severity: 'error' | 'warning';
    readonly file?: string;
    readonly line?: number;
    readonly message: string;
  };
}

const TEAM_FINANCE = `# yaml-language-server: $schema=../../schemas/Team.schema.json
apiVersion: gatehouse.dev/v1alpha1
kind: Team
metadata:
  name: finance
spec:
  description: Finance, not yet mapped to an identity-provider group.
  costCenter: CC-5000
  idpGroups: []
`;

const GRANT_FINANCE = `# yaml-language-server: $schema=../../schemas/Grant.schema.json
apiVersion: gatehouse.dev/v1alpha1
kind: Grant
metadata:
  name: finance-docs
spec:
  subjects: [team:support, team:finance]
  access:
    - server: docs
      tools: [search_docs]
`;

const LARGE_REFUNDS = `package gatehouse.org

import data.gatehouse.request

# Large refunds are reported to finance.
large_refund if {
	request.tool == "issue_refund"
	input.mcp.arguments.amount > 500
}
`;

/** The registry data a refund call needs, as one Rego object literal (opa fmt keeps it on one line). */
const PAYMENTS_REGISTRY =
  '{"virtual_servers": {"payments": {"aggregated": false, "servers": ["payments"], ' +
  '"tools": {"issue_refund": {"server": "payments", "tool": "issue_refund"}}}}}';

const LARGE_REFUNDS_TEST = `package gatehouse.org_test

import data.gatehouse.org

test_a_refund_of_600_is_large if {
	org.large_refund with input.mcp as {"method": "tools/call", "name": "issue_refund", "virtual_server": "payments", "arguments": {"amount": 600}}
		with data.registry as ${PAYMENTS_REGISTRY}
}
`;

const LIMITS_TEST = `package gatehouse.org_test

import data.gatehouse.org

test_refund_limit_is_500 if {
	org.refund_limit == 500
}
`;

export const GATE_CASES: readonly GateCase[] = [
  // default-allow has no case: a repository can no longer add a permit (package gatehouse.authz is the
  // base policy's, shipped in the package; a repository file there is a reserved-package error,
  // compiler/src/source/reserved-package.test.ts). The gate stays as a net under the base policy itself.
  {
    gate: 'high-risk-broad-grant',
    name: 'a wildcard that selects delete_ticket',
    group: 'registry',
    change: { replace: { 'registry/grants/engineering.yaml': [['tools: [search_tickets, get_ticket, delete_ticket]', 'tools: ["*"]']] } },
    expect: {
      severity: 'error',
      file: 'registry/grants/engineering.yaml',
      line: 13,
      message: 'selects the high-risk tool tickets/delete_ticket (high) with the wildcard "*"',
    },
  },
  {
    gate: 'high-risk-broad-grant',
    name: 'a high-risk tool granted to every authenticated user',
    group: 'registry',
    change: {
      replace: {
        'registry/grants/everyone.yaml': [['      tools: [search_docs]', '      tools: [search_docs]\n    - server: payments\n      tools: [issue_refund]']],
      },
    },
    expect: {
      severity: 'error',
      file: 'registry/grants/everyone.yaml',
      line: 13,
      message: 'gives every authenticated user the high-risk tool payments/issue_refund (high)',
    },
  },
  {
    gate: 'team-without-idp-mapping',
    name: 'a grant to a team no group maps to',
    group: 'registry',
    change: { files: { 'registry/teams/finance.yaml': TEAM_FINANCE, 'registry/grants/finance.yaml': GRANT_FINANCE } },
    expect: {
      severity: 'error',
      file: 'registry/grants/finance.yaml',
      line: 7,
      message: 'gives access to team "finance", which no identity-provider group maps to',
    },
  },
  {
    gate: 'classification-not-cleared',
    name: 'restricted payments data reachable by support once the clearance rule is gone',
    group: 'registry',
    change: {
      files: { 'policies/org/clearance.rego': null, 'policies/org/clearance_test.rego': null },
      replace: { 'registry/grants/support.yaml': [['    - server: docs', '    - server: payments\n      tools: [lookup_payment]\n    - server: docs']] },
    },
    expect: {
      severity: 'error',
      file: 'registry/grants/support.yaml',
      line: 13,
      message: 'team:support can call payments/lookup_payment, but server payments holds restricted data and team support is cleared for confidential',
    },
  },
  {
    gate: 'upstream-not-allowed',
    name: 'an upstream host outside the allowed hosts',
    group: 'registry',
    change: { replace: { 'registry/mcp-servers/tickets.yaml': [['http://127.0.0.1:7101/mcp', 'https://tickets.example.com/mcp']] } },
    expect: { severity: 'error', file: 'registry/mcp-servers/tickets.yaml', line: 10, message: 'upstream host tickets.example.com is not an allowed host' },
  },
  {
    gate: 'upstream-not-allowed',
    name: 'a region outside the allowed regions',
    group: 'registry',
    change: { replace: { 'registry/mcp-servers/docs.yaml': [['region: eu-west-1', 'region: us-east-1']] } },
    expect: { severity: 'error', file: 'registry/mcp-servers/docs.yaml', line: 13, message: 'runs in region us-east-1, which is not an allowed region (eu-*)' },
  },
  {
    gate: 'shared-secret-ref',
    name: 'a server that reuses another server\'s secretRef on its own host',
    group: 'registry',
    change: { replace: { 'registry/mcp-servers/docs.yaml': DOCS_WITH_TICKETS_CREDENTIAL } },
    expect: {
      severity: 'error',
      file: 'registry/mcp-servers/docs.yaml',
      line: 15,
      message: 'McpServer "docs" sends credential secretRef "tickets-api-token" to 127.0.0.1, and "tickets" (127.0.0.1) uses the same secretRef',
    },
  },
  {
    gate: 'shared-secret-ref',
    name: 'a server whose credential follows it to a new upstream host',
    group: 'registry',
    change: { replace: { 'registry/mcp-servers/tickets.yaml': [['http://127.0.0.1:7101/mcp', 'http://localhost:7101/mcp']] } },
    expect: {
      severity: 'error',
      file: 'registry/mcp-servers/tickets.yaml',
      line: 16,
      message: 'McpServer "tickets" now sends credential secretRef "tickets-api-token" to localhost (the base revision sent it to 127.0.0.1)',
    },
  },
  {
    gate: 'missing-owner-or-cost-center',
    name: 'a server without owner, so without cost center',
    group: 'registry',
    change: { replace: { 'registry/mcp-servers/docs.yaml': [['  owner: engineering\n', '']] } },
    expect: { severity: 'error', file: 'registry/mcp-servers/docs.yaml', line: 5, message: 'McpServer "docs" has no owner' },
  },
  {
    gate: 'rego-tests-failing',
    name: 'a test whose expectation does not hold',
    group: 'rego',
    change: { files: { 'policies/org/limits_test.rego': LIMITS_TEST } },
    expect: { severity: 'error', file: 'policies/org/limits_test.rego', line: 5, message: 'Rego test data.gatehouse.org_test.test_refund_limit_is_500 fails' },
  },
  {
    gate: 'rego-coverage',
    name: 'an untested rule under a threshold of 100%',
    group: 'rego',
    change: {
      files: { 'policies/org/large_refunds.rego': LARGE_REFUNDS },
      replace: { 'registry/check-settings/checks.yaml': [['coverageThreshold: 90', 'coverageThreshold: 100']] },
    },
    expect: {
      severity: 'error',
      file: 'policies/org/large_refunds.rego',
      line: 6,
      message: 'below the threshold of 100%; the least covered file is policies/org/large_refunds.rego (0%, lines 6-8 not covered)',
    },
  },
  {
    gate: 'rego-format',
    name: 'a policy that opa fmt would change',
    group: 'rego',
    change: {
      files: {
        'policies/org/large_refunds.rego': LARGE_REFUNDS.replace('input.mcp.arguments.amount > 500', 'input.mcp.arguments.amount>500'),
        'policies/org/large_refunds_test.rego': LARGE_REFUNDS_TEST,
      },
    },
    expect: {
      severity: 'error',
      file: 'policies/org/large_refunds.rego',
      line: 8,
      message: 'policies/org/large_refunds.rego is not formatted as opa fmt formats it',
    },
  },
  {
    gate: 'rego-lint',
    name: 'a rule name Regal wants in snake case',
    group: 'rego',
    change: {
      files: {
        'policies/org/large_refunds.rego': LARGE_REFUNDS.replace('large_refund if', 'largeRefund if'),
        'policies/org/large_refunds_test.rego': LARGE_REFUNDS_TEST.replace('org.large_refund', 'org.largeRefund'),
      },
    },
    expect: { severity: 'error', file: 'policies/org/large_refunds.rego', line: 6, message: 'Regal style/prefer-snake-case' },
  },
  {
    gate: 'deny-rule-removed',
    name: 'an organisation deny rule deleted',
    group: 'rego',
    change: {
      replace: {
        'policies/org/refund_limit.rego': [
          [
            'deny contains "refund amount must be a number" if {\n\trefund_call\n\trequest.arguments_known\n\tnot refund_amount_is_number\n}\n',
            '',
          ],
        ],
      },
    },
    expect: {
      severity: 'error',
      file: 'policies/org/refund_limit.rego',
      line: 3,
      message: 'removes a deny rule of package gatehouse.org (policies/org/refund_limit.rego:26 in the base revision): ' +
        '`deny contains "refund amount must be a number" if {',
    },
  },
  {
    gate: 'unusable-grant',
    name: 'support granted a payments tool its clearance forbids (policies/org/clearance.rego denies every call)',
    group: 'registry',
    change: {
      replace: { 'registry/grants/support.yaml': [['    - server: docs', '    - server: payments\n      tools: [lookup_payment]\n    - server: docs']] },
    },
    expect: {
      severity: 'warning',
      file: 'registry/grants/support.yaml',
      line: 13,
      message: 'Grant "support-helpdesk" gives team:support payments/lookup_payment, which it can never call: the policy denies every such call',
    },
  },
  {
    gate: 'new-high-risk-grant',
    name: 'support gains delete_ticket',
    group: 'registry',
    change: { replace: { 'registry/grants/support.yaml': [['add_comment, close_ticket]', 'add_comment, close_ticket, delete_ticket]']] } },
    expect: {
      severity: 'warning',
      file: 'registry/grants/support.yaml',
      line: 11,
      message: 'team:support gains the high-risk tool tickets/delete_ticket; team support, which owns server tickets, must review',
    },
  },
];
