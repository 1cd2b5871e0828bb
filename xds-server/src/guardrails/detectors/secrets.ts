// Secrets and API keys: well-known token shapes (near-certain) and long high-entropy strings next
// to a key-like word (likely), or on their own (possible).
import { at, scan, type Finding } from './finding.ts';

const KNOWN: readonly { readonly label: string; readonly pattern: RegExp }[] = [
  { label: 'aws-access-key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { label: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { label: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,200}\b/g },
  { label: 'stripe-key', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,200}\b/g },
  { label: 'openai-key', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,200}\b/g },
  { label: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { label: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g },
  { label: 'private-key', pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/g },
];

const KEY_WORD = /(?:api[_-]?key|secret|token|password|passwd|credential|bearer)["']?\s*[:=]?\s*["']?$/i;

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export function detectSecret(text: string): Finding[] {
  const known = KNOWN.flatMap(({ label, pattern }) => scan(text, pattern, (m) => at(m, 0.99, label)));
  const generic = scan(text, /[A-Za-z0-9+/_-]{20,512}={0,2}/g, (m) => {
    if (known.some((k) => k.start < m.index + m[0].length && m.index < k.end)) return undefined;
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((c) => c.test(m[0])).length;
    if (classes < 3 || entropy(m[0]) < 4) return undefined;
    const keyed = KEY_WORD.test(text.slice(Math.max(0, m.index - 24), m.index));
    return at(m, keyed ? 0.9 : 0.55, 'high-entropy');
  });
  return [...known, ...generic];
}
