import { describe, expect, it } from 'vitest';
import { uriSans } from './peer-identity.ts';
import { controlPlaneSpiffeId, nodeSpiffeId, parseSpiffeId } from './spiffe-id.ts';

describe('Gatehouse SPIFFE IDs', () => {
  it('round-trips node and control-plane IDs', () => {
    expect(nodeSpiffeId('example.org', 'eu-west', 'envoy-0')).toBe('spiffe://example.org/gatehouse/fleet/eu-west/node/envoy-0');
    expect(parseSpiffeId('spiffe://example.org/gatehouse/fleet/eu-west/node/envoy-0')).toEqual({
      kind: 'node',
      trustDomain: 'example.org',
      fleet: 'eu-west',
      node: 'envoy-0',
      uri: 'spiffe://example.org/gatehouse/fleet/eu-west/node/envoy-0',
    });
    expect(parseSpiffeId(controlPlaneSpiffeId('example.org'))).toMatchObject({ kind: 'control-plane', trustDomain: 'example.org' });
  });

  it('reads nothing else as an identity', () => {
    for (const uri of [
      'spiffe://example.org/ns/default/sa/envoy',
      'spiffe://example.org/gatehouse/fleet/a/node/b/extra',
      'spiffe://example.org/gatehouse/fleet/../node/b',
      'spiffe://Example.org/gatehouse/fleet/a/node/b',
      'https://example.org/gatehouse/fleet/a/node/b',
      'spiffe://example.org/gatehouse/fleet/a%2Fb/node/c',
    ]) {
      expect(parseSpiffeId(uri), uri).toBeUndefined();
    }
    expect(() => nodeSpiffeId('example.org', 'a/b', 'c')).toThrow(RangeError);
  });

  it('reads URI SANs from Node\'s subjectaltname text, quoted values included, and trusts nothing unreadable', () => {
    expect(uriSans('DNS:localhost, URI:spiffe://td/gatehouse/control-plane, IP Address:127.0.0.1')).toEqual(['spiffe://td/gatehouse/control-plane']);
    // A crafted value with the separator inside is one (quoted) entry, not two.
    expect(uriSans('URI:"spiffe://td/x, URI:spiffe://td/gatehouse/fleet/a/node/b"')).toEqual(['spiffe://td/x, URI:spiffe://td/gatehouse/fleet/a/node/b']);
    expect(uriSans('URI:"unterminated')).toEqual([]);
    expect(uriSans('')).toEqual([]);
  });
});
