// What a detector reports: where in the text it found something, and how sure it is. The matched
// text itself is never stored or recorded; only its position, used to redact it in place.

export interface Finding {
  readonly start: number;
  readonly end: number;
  /** 0..1: how likely this is really what the detector looks for. */
  readonly confidence: number;
  /** A finer label (`us-ssn`, `aws-access-key`), for the audit record; never the match. */
  readonly label?: string;
}

/** Runs a global regular expression over text and keeps the matches `score` returns a confidence for. */
export function scan(text: string, pattern: RegExp, score: (match: RegExpExecArray) => Finding | undefined): Finding[] {
  const out: Finding[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0] === '') {
      pattern.lastIndex += 1;
      continue;
    }
    const finding = score(m);
    if (finding) out.push(finding);
  }
  return out;
}

export function at(match: RegExpExecArray, confidence: number, label?: string): Finding {
  return { start: match.index, end: match.index + match[0].length, confidence, ...(label ? { label } : {}) };
}
