// Canonical JSON: object keys sorted (by UTF-16 code units), no whitespace, numbers and strings as
// JSON.stringify writes them. For the values audit records hold this is RFC 8785 (JCS), so any
// language can recompute a record's hash.

export function canonicalJson(value: unknown): string {
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
