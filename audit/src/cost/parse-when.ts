// `--since` / `--until` values: an RFC 3339 date or time (`2026-11-01`, `2026-11-01T08:00:00Z`), or
// a span back from now (`90m`, `24h`, `7d`).

export function parseWhen(text: string, now: number): string | undefined {
  const relative = /^([0-9]+)(m|h|d)$/.exec(text);
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    return new Date(now - Number(relative[1]) * unit).toISOString();
  }
  if (!/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  const ms = Date.parse(/T|\s/.test(text) && !/Z|[+-]\d{2}:?\d{2}$/.test(text) ? `${text}Z` : text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
