import { describe, expect, it } from 'vitest';
import { DEFAULT_GATEWAY_AUDIT } from '../../../artifacts/src/audit-catalog.ts';
import { resolveGatewayAudit, resolveToolAudit } from './audit-settings.ts';

describe('resolveGatewayAudit', () => {
  it('resolves a gateway without audit settings to the default the control plane falls back on', () => {
    expect(resolveGatewayAudit(undefined)).toEqual(DEFAULT_GATEWAY_AUDIT);
  });
});

describe('resolveToolAudit', () => {
  it('keeps results only when the tool asks, with the default cap when it gives none', () => {
    expect(resolveToolAudit({ results: 'none' })).toEqual({ redact: [] });
    expect(resolveToolAudit({ results: 'digest' })).toEqual({ redact: [], results: 'digest', resultBytes: 4096 });
    expect(resolveToolAudit({ results: 'payload', resultBytes: 512, redact: ['b', 'a', 'b'] })).toEqual({
      redact: ['a', 'b'], results: 'payload', resultBytes: 512,
    });
  });
});
