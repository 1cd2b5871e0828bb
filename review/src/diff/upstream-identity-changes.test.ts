// A server moving from its static secret to a per-caller token exchange shows as a diff line and an
// info finding naming the provider, audience and references, never a secret value.
import { describe, expect, it } from 'vitest';
import type { Ir, IrServer } from '../../../compiler/src/ir/types.ts';
import { loadRegistry } from '../../../compiler/src/pipeline/load-registry.ts';
import { SILENT } from '../../../compiler/src/pipeline/progress.ts';
import { EXAMPLE_ROOT } from '../../../testkit/repo.ts';
import { diffConfig } from './config-diff.ts';
import { upstreamIdentityChanges } from './upstream-identity-changes.ts';

const base = loadRegistry(EXAMPLE_ROOT, SILENT).ir as Ir;

function withTicketsIdentity(ir: Ir): Ir {
  const servers = ir.servers.map((s): IrServer => {
    if (s.name !== 'tickets') return s;
    return {
      ...s,
      credential: undefined,
      identity: {
        mode: 'token-exchange', identityProvider: 'dev-idp', tokenEndpoint: 'http://127.0.0.1:7100/token', clientId: 'gatehouse',
        clientSecretRef: 'exchange-client', audience: 'tickets-api', scopes: ['tickets.read'], header: 'Authorization',
      },
    };
  });
  return { ...ir, servers };
}

describe('upstream identity changes', () => {
  it('reports a static secret becoming a token exchange, with the diff line', () => {
    const diff = diffConfig(base, withTicketsIdentity(base));
    const tickets = diff.changes.find((c) => c.kind === 'server' && c.name === 'tickets');
    expect(tickets?.fields.find((f) => f.field === 'upstream.identity')).toEqual({
      field: 'upstream.identity',
      after: 'token-exchange at dev-idp for audience tickets-api (client gatehouse, secretRef exchange-client, scopes tickets.read)',
    });
    const findings = upstreamIdentityChanges(diff);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'upstream-identity-changed', severity: 'info' });
    expect(findings[0]?.message).toMatch(/"tickets" upstream identity changes from the static credential \(or none\) to token-exchange at dev-idp/);
  });

  it('says nothing when the mode stays the same', () => {
    expect(upstreamIdentityChanges(diffConfig(base, base))).toEqual([]);
  });
});
