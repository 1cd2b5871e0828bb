// Each kind of configuration change, from git fixtures: the base revision is read from git the way
// `gatehouse check --base` reads it (git archive, never the working tree), both registries are
// loaded, and the config diff must report the change.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractRevision, resolveBaseCommit } from '../../review/src/check/base-revision.ts';
import { diffConfig, type ConfigChange } from '../../review/src/diff/config-diff.ts';
import type { Ir } from '../../compiler/src/ir/types.ts';
import { loadRegistry } from '../../compiler/src/pipeline/load-registry.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { snapshotFolder, tempDir } from '../../testkit/repo.ts';
import { gitFixture, type HeadChange } from './git-fixture.ts';
import { EXAMPLE_TOKEN_EXCHANGE_SERVER, WITHOUT_TOKEN_EXCHANGE_SERVER, trustedIssuersEdit } from '../../testkit/example-identity.ts';

/** The docs server given the tickets server's credential. */
const DOCS_WITH_TICKETS_CREDENTIAL: [string, string][] = [['  region: eu-west-1\n', '  region: eu-west-1\n  credential:\n    secretRef: tickets-api-token\n']];

const work = tempDir('gatehouse-config-diff-');
afterAll(() => work.remove());

const CRM_SERVER = `apiVersion: gatehouse.dev/v1alpha1
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
`;

const CORP_IDP = `apiVersion: gatehouse.dev/v1alpha1
kind: IdentityProvider
metadata:
  name: corp
spec:
  issuer: https://login.corp.example
  jwks:
    uri: https://login.corp.example/jwks.json
`;

interface DiffCase {
  readonly name: string;
  readonly change: HeadChange;
  readonly expect: readonly Partial<ConfigChange>[];
}

const CASES: readonly DiffCase[] = [
  {
    name: 'server added',
    change: { files: { 'registry/mcp-servers/crm.yaml': CRM_SERVER } },
    expect: [{ kind: 'server', name: 'crm', change: 'added', fields: [{ field: 'upstream.url', after: 'http://127.0.0.1:7104/mcp' }, { field: 'dataClassification', after: 'confidential' }, { field: 'region', after: 'eu-west-1' }, { field: 'owner', after: 'support' }] }],
  },
  {
    name: 'server removed (with the grant and virtual server that used it)',
    change: {
      files: {
        'registry/mcp-servers/payments.yaml': null,
        'registry/grants/payments.yaml': null,
        'registry/virtual-servers/payments-ops.yaml': null,
        'registry/guardrails/payments-pii.yaml': null,
      },
    },
    expect: [
      {
        kind: 'server',
        name: 'payments',
        change: 'removed',
        fields: [
          { field: 'upstream.url', before: 'http://127.0.0.1:7103/mcp' },
          { field: 'dataClassification', before: 'restricted' },
          { field: 'region', before: 'eu-central-1' },
          { field: 'owner', before: 'payments' },
          { field: 'credential', before: 'secretRef payments-api-key to 127.0.0.1 (header X-Api-Key)' },
        ],
      },
      { kind: 'virtual-server', name: 'payments-ops', change: 'removed' },
    ],
  },
  {
    name: 'upstream URL changed',
    change: { replace: { 'registry/mcp-servers/docs.yaml': [['http://127.0.0.1:7102/mcp', 'http://127.0.0.1:7202/docs/mcp']] } },
    expect: [{ kind: 'server', name: 'docs', change: 'changed', fields: [{ field: 'upstream.url', before: 'http://127.0.0.1:7102/mcp', after: 'http://127.0.0.1:7202/docs/mcp' }] }],
  },
  {
    name: 'a credential added to a server shows its secretRef and host, never a value',
    change: { replace: { 'registry/mcp-servers/docs.yaml': DOCS_WITH_TICKETS_CREDENTIAL } },
    expect: [
      {
        kind: 'server',
        name: 'docs',
        change: 'changed',
        fields: [{ field: 'credential', after: 'secretRef tickets-api-token to 127.0.0.1 (header Authorization)' }],
      },
    ],
  },
  {
    name: 'a host change shows where the credential now goes',
    change: { replace: { 'registry/mcp-servers/tickets.yaml': [['http://127.0.0.1:7101/mcp', 'http://localhost:7101/mcp']] } },
    expect: [
      {
        kind: 'server',
        name: 'tickets',
        change: 'changed',
        fields: [
          {
            field: 'credential',
            before: 'secretRef tickets-api-token to 127.0.0.1 (header Authorization)',
            after: 'secretRef tickets-api-token to localhost (header Authorization)',
          },
          { field: 'upstream.url', before: 'http://127.0.0.1:7101/mcp', after: 'http://localhost:7101/mcp' },
        ],
      },
    ],
  },
  {
    name: 'server tool risk changed',
    change: { replace: { 'registry/mcp-servers/docs.yaml': [['      risk: medium', '      risk: high']] } },
    expect: [
      {
        kind: 'server',
        name: 'docs',
        change: 'changed',
        fields: [{ field: 'tools.update_page', before: 'risk medium, cost 0.0005', after: 'risk high, cost 0.0005' }],
      },
    ],
  },
  {
    name: 'virtual server added',
    change: {
      files: {
        'registry/virtual-servers/triage.yaml':
          'apiVersion: gatehouse.dev/v1alpha1\nkind: VirtualServer\nmetadata:\n  name: triage\n' +
          'spec:\n  description: Read-only tickets.\n  members:\n    - server: tickets\n      tools: [search_tickets, get_ticket]\n',
      },
    },
    expect: [{ kind: 'virtual-server', name: 'triage', change: 'added', fields: [{ field: 'tools', after: 'get_ticket, search_tickets' }] }],
  },
  {
    name: 'virtual server removed',
    change: { files: { 'registry/virtual-servers/knowledge.yaml': null } },
    expect: [{ kind: 'virtual-server', name: 'knowledge', change: 'removed', fields: [{ field: 'tools', before: 'get_page, search_docs, update_page' }] }],
  },
  {
    name: 'virtual server changed',
    change: { replace: { 'registry/virtual-servers/helpdesk.yaml': [['tools: [search_docs, get_page]', 'tools: [search_docs]']] } },
    expect: [{ kind: 'virtual-server', name: 'helpdesk', change: 'changed' }],
  },
  {
    name: 'identity provider added',
    // The example's token-exchange server must then say its exchange accepts corp's tokens (upstream-identity-trust).
    change: { files: { 'registry/identity-providers/corp.yaml': CORP_IDP }, replace: { [EXAMPLE_TOKEN_EXCHANGE_SERVER]: [trustedIssuersEdit(['corp'])] } },
    expect: [{ kind: 'identity-provider', name: 'corp', change: 'added', fields: [{ field: 'issuer', after: 'https://login.corp.example' }] }],
  },
  {
    name: 'identity provider replaced (removed, another added, teams remapped)',
    change: {
      // Without dev-idp, the example's token-exchange server has nowhere to exchange: it goes too.
      files: { 'registry/identity-providers/dev-idp.yaml': null, 'registry/identity-providers/corp.yaml': CORP_IDP, ...WITHOUT_TOKEN_EXCHANGE_SERVER },
      replace: Object.fromEntries(
        ['engineering', 'payments', 'support'].map((t) => [`registry/teams/${t}.yaml`, [['provider: dev-idp', 'provider: corp'] as const]]),
      ),
    },
    expect: [
      { kind: 'identity-provider', name: 'corp', change: 'added' },
      { kind: 'identity-provider', name: 'dev-idp', change: 'removed', fields: [{ field: 'issuer', before: 'http://127.0.0.1:7100' }] },
      { kind: 'team', name: 'engineering', change: 'changed', fields: [{ field: 'idpGroups', before: 'dev-idp/engineers', after: 'corp/engineers' }] },
    ],
  },
  {
    name: 'identity provider changed',
    change: { replace: { 'registry/identity-providers/dev-idp.yaml': [['scopes: [mcp]', 'scopes: [mcp, openid]']] } },
    expect: [{ kind: 'identity-provider', name: 'dev-idp', change: 'changed', fields: [{ field: 'scopes', before: 'mcp', after: 'mcp, openid' }] }],
  },
  {
    name: 'gateway changed',
    change: { replace: { 'registry/gateways/local.yaml': [['port: 10000', 'port: 10001']] } },
    expect: [{ kind: 'gateway', name: 'local', change: 'changed', fields: [{ field: 'listener', before: '127.0.0.1:10000', after: '127.0.0.1:10001' }] }],
  },
];

/** The IR of the base (`main`, read from git) and of the head (the working tree). */
async function bothRevisions(root: string): Promise<{ base: Ir; head: Ir }> {
  const dir = mkdtempSync(join(work.path, 'base-'));
  try {
    await extractRevision(root, await resolveBaseCommit(root, 'main'), dir);
    const base = loadRegistry(dir, SILENT);
    const head = loadRegistry(root, SILENT);
    expect(base.diagnostics).toEqual([]);
    expect(head.diagnostics).toEqual([]);
    return { base: base.ir!, head: head.ir! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('configuration diff between git revisions', () => {
  CASES.forEach((c, index) => {
    it(c.name, async () => {
      const root = gitFixture(join(work.path, `case-${index}`), c.change);
      const before = snapshotFolder(root);
      const { base, head } = await bothRevisions(root);
      expect(snapshotFolder(root), 'reading the base must not touch the working tree').toEqual(before);
      const diff = diffConfig(base, head);
      for (const expected of c.expect) {
        expect(diff.changes, JSON.stringify(diff.changes, null, 2)).toContainEqual(expect.objectContaining(expected));
      }
    });
  });

  it('reports nothing between a revision and itself', async () => {
    const root = gitFixture(join(work.path, 'same'));
    const { base, head } = await bothRevisions(root);
    expect(diffConfig(base, head).changes).toEqual([]);
  });
});
