// The control plane refuses an upstream identity table that is malformed or names a server it does not describe.
import { describe, expect, it } from 'vitest';
import { isUpstreamIdentityTable } from './identity-table.ts';

const ENTRY = {
  mode: 'token-exchange', identityProvider: 'corp', tokenEndpoint: 'https://idp/token', clientId: 'gatehouse',
  clientSecretRef: 'corp-client', audience: 'tickets', scopes: ['tickets.read'], header: 'Authorization',
};

describe('isUpstreamIdentityTable', () => {
  it('accepts a well-formed table and the empty one', () => {
    expect(isUpstreamIdentityTable({ servers: { tickets: ENTRY }, virtualServers: { tickets: 'tickets' } })).toBe(true);
    expect(isUpstreamIdentityTable({ servers: {}, virtualServers: {} })).toBe(true);
  });
  it('refuses unknown modes, missing fields, and virtual servers naming an undescribed server', () => {
    expect(isUpstreamIdentityTable({ servers: { tickets: { ...ENTRY, mode: 'impersonate' } }, virtualServers: {} })).toBe(false);
    const noAudience: Record<string, unknown> = { ...ENTRY };
    delete noAudience.audience;
    expect(isUpstreamIdentityTable({ servers: { tickets: noAudience }, virtualServers: {} })).toBe(false);
    expect(isUpstreamIdentityTable({ servers: { tickets: ENTRY }, virtualServers: { crm: 'crm' } })).toBe(false);
    expect(isUpstreamIdentityTable([])).toBe(false);
  });
});
