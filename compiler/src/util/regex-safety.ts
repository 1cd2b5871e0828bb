// A conservative check for regular expressions that could backtrack catastrophically (ReDoS) in
// JavaScript's backtracking engine, by one walk over the pattern: nested repeats (star height > 1,
// `(a+)+`), a repeated alternation whose branches can start alike (`(a|ab)*`), and backreferences
// are refused. It refuses some safe patterns (the price of being sure), never one of these shapes.

export type RegexVerdict = { ok: true } | { ok: false; reason: string };

interface Group {
  /** Whether the group's contents hold a repeat. */
  hasRepeat: boolean;
  /** The first characters of each alternative (for overlap), as written. */
  branchStarts: string[];
  branchStart: boolean;
}

/** Whether a quantifier starts at text[i] (`*`, `+`, `?`, `{n,}`...); its length, or 0. */
function quantifierAt(text: string, i: number): { length: number; unbounded: boolean } | undefined {
  const ch = text[i];
  if (ch === '*' || ch === '+') return { length: text[i + 1] === '?' ? 2 : 1, unbounded: true };
  if (ch === '?') return { length: text[i + 1] === '?' ? 2 : 1, unbounded: false };
  if (ch === '{') {
    const m = /^\{([0-9]+)(,([0-9]*))?\}\??/.exec(text.slice(i));
    if (!m) return undefined;
    const unbounded = m[2] !== undefined && (m[3] === '' || Number(m[3]) > 10);
    return { length: m[0].length, unbounded };
  }
  return undefined;
}

export function checkRegexSafety(pattern: string): RegexVerdict {
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (/\\[1-9]|\\k</.test(pattern)) return { ok: false, reason: 'backreferences can take exponential time' };
  const stack: Group[] = [{ hasRepeat: false, branchStarts: [], branchStart: true }];
  let i = 0;
  let lastAtomStart = -1;
  let lastGroup: Group | undefined;
  while (i < pattern.length) {
    const ch = pattern[i] ?? '';
    const top = stack[stack.length - 1];
    if (!top) break;
    if (ch === '\\') {
      if (top.branchStart) top.branchStarts.push(pattern.slice(i, i + 2));
      top.branchStart = false;
      lastAtomStart = i;
      lastGroup = undefined;
      i += 2;
    } else if (ch === '[') {
      const end = classEnd(pattern, i);
      if (top.branchStart) top.branchStarts.push(pattern.slice(i, end));
      top.branchStart = false;
      lastAtomStart = i;
      lastGroup = undefined;
      i = end;
    } else if (ch === '(') {
      const prefix = /^\(\?(?:[:=!]|<[=!]|<[A-Za-z][A-Za-z0-9]*>)?/.exec(pattern.slice(i))?.[0] ?? '(';
      stack.push({ hasRepeat: false, branchStarts: [], branchStart: true });
      i += prefix.length;
    } else if (ch === ')') {
      const closed = stack.pop();
      const parent = stack[stack.length - 1];
      if (!closed || !parent) return { ok: false, reason: 'unbalanced parenthesis' };
      if (parent.branchStart) parent.branchStarts.push(closed.branchStarts[0] ?? '');
      parent.branchStart = false;
      lastGroup = closed;
      lastAtomStart = i;
      i += 1;
      const q = quantifierAt(pattern, i);
      if (q) {
        if (q.unbounded && closed.hasRepeat) return { ok: false, reason: 'a repeated group holds a repeat (nested quantifiers)' };
        if (q.unbounded && overlapping(closed.branchStarts)) return { ok: false, reason: 'alternatives under a repeat can match the same text' };
        parent.hasRepeat ||= q.unbounded || closed.hasRepeat;
        i += q.length;
        lastGroup = undefined;
      } else {
        parent.hasRepeat ||= closed.hasRepeat;
      }
      continue;
    } else if (ch === '|') {
      top.branchStart = true;
      lastGroup = undefined;
      i += 1;
    } else {
      const q = quantifierAt(pattern, i);
      if (q && lastAtomStart >= 0 && !lastGroup) {
        if (q.unbounded) top.hasRepeat = true;
        i += q.length;
        continue;
      }
      if (top.branchStart && ch !== '^') top.branchStarts.push(ch);
      if (ch !== '^' && ch !== '$') top.branchStart = false;
      lastAtomStart = i;
      lastGroup = undefined;
      i += 1;
    }
  }
  return { ok: true };
}

function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^') i += 1;
  if (pattern[i] === ']') i += 1;
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** Two alternatives that start with the same literal, or where either starts with a class or escape (could match anything alike). */
function overlapping(starts: readonly string[]): boolean {
  if (starts.length < 2) return false;
  if (starts.some((s) => s === '' || s.startsWith('[') || s.startsWith('\\') || s === '.')) return true;
  return new Set(starts).size < starts.length;
}
