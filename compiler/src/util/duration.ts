// Durations as the registry writes them (`250ms`, `10s`, `2m`).

export function parseDurationMs(text: string): number {
  const match = /^([0-9]+)(ms|s|m)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const n = Number(match[1]);
  return match[2] === 'ms' ? n : match[2] === 's' ? n * 1000 : n * 60_000;
}

/** Protobuf JSON form of a duration in milliseconds (`"0.250s"`, `"10s"`). */
export function protoDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(3)}s`;
}
