import { describe, expect, it } from 'vitest';
import { DEFAULT_GATEWAY_AUDIT } from '../../../artifacts/src/audit-catalog.ts';
import { resolveGatewayAudit } from './audit-settings.ts';

describe('resolveGatewayAudit', () => {
  it('resolves a gateway without audit settings to the default the control plane falls back on', () => {
    expect(resolveGatewayAudit(undefined)).toEqual(DEFAULT_GATEWAY_AUDIT);
  });
});
