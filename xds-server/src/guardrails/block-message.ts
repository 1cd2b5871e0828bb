// The message a client reads when a guardrail blocks its call: which guardrail, what it found and
// where, never the matched text.
import type { GuardrailHit } from '../../../artifacts/src/guardrails/guardrail-set.ts';

const WHAT: Readonly<Record<GuardrailHit['detector'], string>> = {
  email: 'an email address',
  phone: 'a phone number',
  'payment-card': 'a payment card number',
  iban: 'a bank account number (IBAN)',
  'national-id': 'a national identifier',
  secret: 'a secret or API key',
  'prompt-injection': 'instructions addressed to the model (prompt injection)',
  'hidden-text': 'hidden text',
  'exfiltration-link': 'a link that would send data out',
  words: 'a forbidden word',
  regex: 'a forbidden pattern',
  external: 'content the external detector flagged',
  oversize: 'more than the guardrail can inspect',
};

export function blockMessage(hit: GuardrailHit): string {
  const guardrail = hit.rule.split('/')[0] ?? hit.rule;
  const where = hit.direction === 'arguments' ? 'the arguments contain' : 'the result contains';
  if (hit.label === 'service-unavailable') {
    return `Blocked by guardrail "${guardrail}": its external detector did not answer, and the guardrail fails closed (rule ${hit.rule})`;
  }
  return `Blocked by guardrail "${guardrail}": ${where} ${WHAT[hit.detector]} (rule ${hit.rule})`;
}
