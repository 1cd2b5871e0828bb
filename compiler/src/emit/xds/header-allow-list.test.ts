import { describe, expect, it } from 'vitest';
import { complementPatterns, FORWARDED_REQUEST_HEADERS, headerAllowListFilter } from './header-allow-list.ts';

// RE2 and JavaScript agree on this subset (groups, classes, `.`, `*`); Envoy matches the whole name.
const removes = (patterns: readonly string[]) => {
  const expressions = patterns.map((p) => new RegExp(`^${p}$`));
  return (name: string) => expressions.some((e) => e.test(name));
};

describe('complementPatterns', () => {
  const removed = removes(complementPatterns(FORWARDED_REQUEST_HEADERS));

  it('keeps every allowed header and every pseudo-header', () => {
    for (const name of [...FORWARDED_REQUEST_HEADERS, ':path', ':authority', ':method', ':scheme']) expect(removed(name), name).toBe(false);
  });

  it('removes everything else, including prefixes and extensions of allowed names', () => {
    const others = ['cookie', 'x-forwarded-host', 'x-real-ip', 'forwarded', 'x-custom-thing', 'x-envoy-internal'];
    others.push('x', 'accep', 'accept-x', 'x-forwarded', 'x-forwarded-fort', 'mcp-session', 'tracestate2', 'a', '0');
    for (const name of others) expect(removed(name), name).toBe(true);
  });

  it('splits long expressions so each stays short enough for Envoy\'s RE2 program limit', () => {
    const patterns = complementPatterns(FORWARDED_REQUEST_HEADERS, 40);
    expect(patterns.every((p) => p.length <= 40 || !p.includes('|'))).toBe(true);
    const removedSplit = removes(patterns);
    for (const name of ['cookie', 'x-real-ip', 'accept-x']) expect(removedSplit(name), name).toBe(true);
    for (const name of FORWARDED_REQUEST_HEADERS) expect(removedSplit(name), name).toBe(false);
  });
});

describe('headerAllowListFilter', () => {
  it('overwrites X-Forwarded-For with the client address Envoy determined', () => {
    expect(JSON.stringify(headerAllowListFilter())).toContain('%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%');
  });
});
