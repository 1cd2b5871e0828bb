// The detectors Gatehouse runs in-process, by registry type. `words` and `regex` are built from
// their rule's lists; `external` is asynchronous (external-detector.ts).
import type { DetectorType, GuardrailRule } from '../../../../artifacts/src/guardrails/guardrail-set.ts';
import type { Finding } from './finding.ts';
import { detectExfiltrationLink, detectHiddenText, detectPromptInjection } from './injection.ts';
import { detectEmail, detectIban, detectNationalId, detectPaymentCard, detectPhone } from './pii.ts';
import { detectSecret } from './secrets.ts';
import { regexDetector, wordListDetector } from './word-list.ts';

export type Detect = (text: string) => Finding[];

const FIXED: Readonly<Record<Exclude<DetectorType, 'words' | 'regex' | 'external'>, Detect>> = {
  email: detectEmail,
  phone: detectPhone,
  'payment-card': detectPaymentCard,
  iban: detectIban,
  'national-id': detectNationalId,
  secret: detectSecret,
  'prompt-injection': detectPromptInjection,
  'hidden-text': detectHiddenText,
  'exfiltration-link': detectExfiltrationLink,
};

/** The in-process detector of a rule; undefined for `external`. */
export function builtinDetector(rule: GuardrailRule): Detect | undefined {
  switch (rule.detector) {
    case 'words':
      return wordListDetector(rule.words ?? []);
    case 'regex':
      return regexDetector(rule.patterns ?? []);
    case 'external':
      return undefined;
    default:
      return FIXED[rule.detector];
  }
}
