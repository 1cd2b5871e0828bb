// The identities the control plane and its Envoys prove with their certificates: one URI SAN,
// SPIFFE-style (https://github.com/spiffe/spiffe/blob/main/standards/X509-SVID.md).
//
//   spiffe://<trust-domain>/gatehouse/fleet/<fleet>/node/<node>   an Envoy node of a fleet
//   spiffe://<trust-domain>/gatehouse/control-plane               the control plane
//
// The node's fleet and id come from here, never from what the node says about itself.

/** What a SPIFFE path segment and a Gatehouse fleet or node name may contain. */
const SEGMENT = /^[A-Za-z0-9._-]{1,128}$/;
/** A SPIFFE trust domain: lowercase letters, digits, dots, dashes and underscores. */
const TRUST_DOMAIN = /^[a-z0-9._-]{1,255}$/;

export const DEFAULT_TRUST_DOMAIN = 'gatehouse.local';

export type GatehouseIdentity =
  | { readonly kind: 'node'; readonly trustDomain: string; readonly fleet: string; readonly node: string; readonly uri: string }
  | { readonly kind: 'control-plane'; readonly trustDomain: string; readonly uri: string };

export type NodeIdentity = Extract<GatehouseIdentity, { kind: 'node' }>;

export function isTrustDomain(value: string): boolean {
  return TRUST_DOMAIN.test(value) && !value.startsWith('.') && !value.endsWith('.');
}

/** Whether a fleet or node name can appear in a certificate (the node id Envoy sends must then equal it). */
export function isIdentitySegment(value: string): boolean {
  return SEGMENT.test(value) && value !== '.' && value !== '..';
}

export function nodeSpiffeId(trustDomain: string, fleet: string, node: string): string {
  for (const [what, value] of [['fleet', fleet], ['node id', node]] as const) {
    if (!isIdentitySegment(value)) {
      throw new RangeError(`the ${what} "${value}" cannot be named in a certificate (letters, digits, ".", "_", "-"; at most 128)`);
    }
  }
  if (!isTrustDomain(trustDomain)) throw new RangeError(`"${trustDomain}" is not a trust domain (lowercase letters, digits, ".", "_", "-")`);
  return `spiffe://${trustDomain}/gatehouse/fleet/${fleet}/node/${node}`;
}

export function controlPlaneSpiffeId(trustDomain: string): string {
  if (!isTrustDomain(trustDomain)) throw new RangeError(`"${trustDomain}" is not a trust domain (lowercase letters, digits, ".", "_", "-")`);
  return `spiffe://${trustDomain}/gatehouse/control-plane`;
}

/** Reads a Gatehouse SPIFFE ID; undefined for anything else (other schemes, paths, or malformed). */
export function parseSpiffeId(uri: string): GatehouseIdentity | undefined {
  const match = /^spiffe:\/\/([^/]+)\/gatehouse\/(.+)$/.exec(uri);
  if (!match) return undefined;
  const [, trustDomain = '', path = ''] = match;
  if (!isTrustDomain(trustDomain)) return undefined;
  if (path === 'control-plane') return { kind: 'control-plane', trustDomain, uri };
  const parts = path.split('/');
  if (parts.length !== 4 || parts[0] !== 'fleet' || parts[2] !== 'node') return undefined;
  const [, fleet = '', , node = ''] = parts;
  if (!isIdentitySegment(fleet) || !isIdentitySegment(node)) return undefined;
  return { kind: 'node', trustDomain, fleet, node, uri };
}
