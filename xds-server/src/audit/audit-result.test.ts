import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../artifacts/src/audit/canonical-json.ts';
import { sha256Hex } from '../../../artifacts/src/audit/audit-line.ts';
import { auditResult } from './audit-result.ts';

const result = { structuredContent: { owner: 'ann', iban: 'GB82WEST12345698765432' }, content: [{ type: 'text', text: 'found' }] };
const redact = ['structuredContent.iban'];
const redacted = { ...result, structuredContent: { owner: 'ann', iban: '[redacted]' } };
const digest = `sha256:${sha256Hex(canonicalJson(redacted))}`;
const bytes = Buffer.byteLength(canonicalJson(redacted));

describe('auditResult', () => {
  it('keeps nothing in mode none', () => {
    expect(auditResult(result, { mode: 'none', maxBytes: 1000, redact })).toBeUndefined();
  });

  it('keeps the digest of the redacted result in mode digest', () => {
    expect(auditResult(result, { mode: 'digest', maxBytes: 1000, redact })).toEqual({ mode: 'digest', digest, bytes });
  });

  it('keeps the redacted result in mode payload, never the redacted value', () => {
    const kept = auditResult(result, { mode: 'payload', maxBytes: 1000, redact });
    expect(kept).toEqual({ mode: 'payload', digest, bytes, value: redacted });
    expect(JSON.stringify(kept)).not.toContain('GB82');
  });

  it('cuts a payload over the cap, marks it truncated, and keeps the digest of the whole', () => {
    const kept = auditResult({ text: 'é'.repeat(100) }, { mode: 'payload', maxBytes: 20, redact: [] });
    expect(kept?.truncated).toBe(true);
    expect(typeof kept?.value).toBe('string');
    expect(Buffer.byteLength(kept?.value as string)).toBeLessThanOrEqual(20);
    expect(kept?.value).toBe('{"text":"ééééé'); // 9 + 5 × 2 bytes: the sixth é would be split
    expect(kept?.digest).toBe(`sha256:${sha256Hex(canonicalJson({ text: 'é'.repeat(100) }))}`);
  });
});
