// Redaction of tool call arguments before they are hashed or recorded. A path is dot-separated
// segments matched against object keys and array indices: `*` matches any one segment, `**` any
// run of segments (none included). A matched value is replaced whole by REDACTED.

export const REDACTED = '[redacted]';

export function redactArguments(value: unknown, paths: readonly string[]): unknown {
  if (paths.length === 0) return value;
  const patterns = paths.map((p) => p.split('.'));
  return walk(value, [], patterns);
}

function walk(value: unknown, at: readonly string[], patterns: readonly (readonly string[])[]): unknown {
  if (at.length > 0 && patterns.some((p) => matches(p, at))) return REDACTED;
  if (Array.isArray(value)) return value.map((item, i) => walk(item, [...at, String(i)], patterns));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, walk(item, [...at, key], patterns)]));
  }
  return value;
}

/** Whether a pattern (segments with `*` and `**`) matches a whole path. */
export function matches(pattern: readonly string[], path: readonly string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return path.length === 0;
  if (head === '**') return matches(rest, path) || (path.length > 0 && matches(pattern, path.slice(1)));
  if (path.length === 0) return false;
  return (head === '*' || head === path[0]) && matches(rest, path.slice(1));
}
