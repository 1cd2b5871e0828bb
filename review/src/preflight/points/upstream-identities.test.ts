// The preflight counts servers still on a shared static secret beside those with an upstream identity.
import { describe, expect, it } from 'vitest';
import type { IrServer } from '../../../../compiler/src/ir/types.ts';
import { upstreamIdentityEvidence } from './upstream-identities.ts';

const server = (name: string, extra: Partial<IrServer>) => ({ name, ...extra }) as IrServer;
const identity = (mode: 'token-exchange' | 'client-credentials') => ({
  mode, identityProvider: 'idp', tokenEndpoint: 'https://idp/token', clientId: 'g', clientSecretRef: 's', audience: 'a', scopes: [], header: 'Authorization',
});

describe('upstream identity evidence', () => {
  it('names the servers on a shared static secret and counts the others by mode', () => {
    const servers = [
      server('tickets', { identity: identity('token-exchange') }),
      server('reports', { identity: identity('client-credentials') }),
      server('payments', { credential: { secretRef: 'payments-api-key', header: 'Authorization' } }),
      server('weather', {}),
    ];
    expect(upstreamIdentityEvidence({ servers })).toBe(
      'upstream identity: 1 still on a shared static secret (payments); 1 on token exchange per caller, 1 on client credentials, of 4 servers',
    );
    expect(upstreamIdentityEvidence({ servers: servers.slice(0, 2) })).toMatch(/^upstream identity: none on a shared static secret;/);
  });
});
