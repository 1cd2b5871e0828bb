// Canonical JSON. `canonicalJson` is RFC 8785 (JCS), by the `canonicalize` package (the reference
// implementation by the RFC's author): object keys sorted by UTF-16 code units, numbers as
// ECMAScript writes them, no whitespace. Audit format v2 hashes with it, so any language with a
// JCS implementation (or scripts/verify-audit.py) can recompute a line's MAC.
//
// `legacyCanonicalJson` is what format v1 used: JSON.stringify of an object rebuilt with sorted
// keys. JavaScript puts integer-like keys ("1", "10") first in numeric order whatever the insertion
// order, so it is not RFC 8785 for such keys; it is kept only to verify v1 logs.
import canonicalize from 'canonicalize';

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('canonical JSON has no form for undefined');
  return text;
}

export function legacyCanonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) {
      if (record[key] !== undefined) out[key] = sortKeys(record[key]);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`canonical JSON has no form for ${value}`);
  return value;
}
