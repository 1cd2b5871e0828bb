// An organisation's own lists: words and phrases (whole-word, case-insensitive) and regular
// expressions (already checked at compile time for catastrophic backtracking).
import { at, scan, type Finding } from './finding.ts';

export function wordListDetector(words: readonly string[]): (text: string) => Finding[] {
  if (words.length === 0) return () => [];
  const escaped = [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${escaped.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
  return (text) => scan(text, pattern, (m) => at(m, 1));
}

export function regexDetector(patterns: readonly string[]): (text: string) => Finding[] {
  const compiled = patterns.map((p) => new RegExp(p, 'gu'));
  return (text) => compiled.flatMap((pattern) => scan(text, pattern, (m) => at(m, 1)));
}
