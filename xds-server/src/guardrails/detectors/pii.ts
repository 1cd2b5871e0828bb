// Personal data detectors: email addresses, phone numbers, payment cards (Luhn-checked), IBANs
// (mod-97-checked) and national identifiers (US SSN, UK NINO). Confidence rises with the evidence:
// a checksum, a known prefix, a nearby keyword.
import { ibanValid, luhnValid } from './checksums.ts';
import { at, scan, type Finding } from './finding.ts';

export function detectEmail(text: string): Finding[] {
  return scan(text, /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/g, (m) => at(m, 0.95));
}

/** International (+CC) numbers score higher than bare national ones; runs of 7 or fewer digits are ignored. */
export function detectPhone(text: string): Finding[] {
  return scan(text, /(?<![\w+])(\+[1-9][0-9]{0,2}[ .-]?)?(?:\([0-9]{1,4}\)[ .-]?)?[0-9]{2,4}(?:[ .-][0-9]{2,4}){1,4}(?![\w-])/g, (m) => {
    const digits = m[0].replace(/[^0-9]/g, '');
    if (digits.length < 8 || digits.length > 15) return undefined;
    if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(m[0])) return undefined; // a date
    return at(m, m[1] ? 0.85 : 0.6);
  });
}

const CARD_PREFIXES = /^(4|5[1-5]|2[2-7]|3[47]|6011|65|35)/;

export function detectPaymentCard(text: string): Finding[] {
  return scan(text, /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g, (m) => {
    const digits = m[0].replace(/[ -]/g, '');
    if (!luhnValid(digits)) return undefined;
    return at(m, CARD_PREFIXES.test(digits) ? 0.95 : 0.7);
  });
}

export function detectIban(text: string): Finding[] {
  return scan(text, /\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, (m) => (ibanValid(m[0].replace(/ /g, '')) ? at(m, 0.95) : undefined));
}

const SSN_CONTEXT = /\b(ssn|social security)\b/i;
const NINO_CONTEXT = /\b(nino|national insurance)\b/i;

/** US Social Security numbers (not area 000, 666 or 9xx, group 00, serial 0000) and UK National Insurance numbers. */
export function detectNationalId(text: string): Finding[] {
  const ssn = scan(text, /\b([0-9]{3})-([0-9]{2})-([0-9]{4})\b/g, (m) => {
    const [, area = '', group = '', serial = ''] = m;
    if (area === '000' || area === '666' || area.startsWith('9') || group === '00' || serial === '0000') return undefined;
    return at(m, SSN_CONTEXT.test(text) ? 0.95 : 0.75, 'us-ssn');
  });
  const nino = scan(text, /\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]\b/g, (m) =>
    at(m, NINO_CONTEXT.test(text) ? 0.95 : 0.8, 'uk-nino'),
  );
  return [...ssn, ...nino];
}
