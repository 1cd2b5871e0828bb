// Where each file of an artifact set lives, relative to the set's folder. The compiler writes this
// layout and the control plane reads it; the manifest pins every file by hash.

export const MANIFEST_FILE = 'manifest.json';
/** The signature of manifest.json (signature.ts); not listed in the manifest, which it signs. */
export const SIGNATURE_FILE = 'manifest.sig';
export const BUNDLE_FILE = 'policy/bundle.tar.gz';
export const AUDIT_CATALOG_FILE = 'audit/catalog.json';

/** The xDS resources of one fleet. */
export const fleetFile = (fleet: string): string => `xds/${fleet}.json`;
/** The guardrails the control plane enforces on tool calls (guardrails/guardrail-set.ts). */
export const GUARDRAILS_FILE = 'guardrails/guardrails.json';
/** The pinned tool definitions (tool-pins/pin-table.ts); absent in sets compiled before tool pinning. */
export const TOOL_PINS_FILE = 'pins/tools.json';
/** How the control plane fetches upstream tokens per server (upstream-identity/identity-table.ts); only in sets with such servers. */
export const UPSTREAM_IDENTITIES_FILE = 'identity/upstream.json';
