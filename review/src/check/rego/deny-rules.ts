// The deny rules of a set of policies: the organisation rules (`deny contains …`, `deny[msg] …`,
// `deny if …`) at the top level of each non-test `.rego` file, with their package and text. Rules are
// compared across revisions by package and text (whitespace and comments ignored), so reformatting a
// rule does not count as removing it.
import type { SourceFile } from '../../../../compiler/src/source/read-tree.ts';
import { isPolicySource } from './policy-source.ts';

export interface DenyRule {
  readonly package: string;
  readonly file: string;
  readonly line: number;
  /** The rule on one line, comments dropped, cut to 120 characters: for messages. */
  readonly summary: string;
  /** The rule's text without comments and with whitespace collapsed: its identity across revisions. */
  readonly key: string;
}

const DENY_HEAD = /^deny(\s|\[|\{|$)/;

export function denyRules(files: readonly SourceFile[]): DenyRule[] {
  return files.filter(isPolicySource).flatMap((f) => rulesOf(f.path, f.text));
}

function rulesOf(file: string, text: string): DenyRule[] {
  const lines = text.split('\n');
  const pkg = lines.map((l) => /^package\s+([\w.]+)/.exec(l)?.[1]).find(Boolean) ?? '';
  const rules: DenyRule[] = [];
  for (const [i, line] of lines.entries()) {
    if (!DENY_HEAD.test(line)) continue;
    const end = ruleEnd(lines, i);
    const body = lines
      .slice(i, end)
      .map((l) => l.replace(/#.*$/, ''))
      .join(' ');
    const text = body.replace(/\s+/g, ' ').trim();
    rules.push({ package: pkg, file, line: i + 1, summary: text.length > 120 ? `${text.slice(0, 119)}…` : text, key: `${pkg} ${text}` });
  }
  return rules;
}

/** The index after the last line of the rule that starts at `start`. */
function ruleEnd(lines: readonly string[], start: number): number {
  // The rule goes on while lines are indented, blank, comments, or close a bracket at column 1.
  const continues = (line: string) => /^(\s|$|[}\])])/.test(line) || line.startsWith('#');
  const after = lines.slice(start + 1).findIndex((line) => !continues(line));
  return after === -1 ? lines.length : start + 1 + after;
}

/**
 * The base's deny rules that the head no longer has, in packages where the head has fewer deny rules
 * than the base (a rule that was only edited keeps the count and is not reported).
 */
export function removedDenyRules(base: readonly DenyRule[], head: readonly DenyRule[]): DenyRule[] {
  const count = (rules: readonly DenyRule[], pkg: string) => rules.filter((r) => r.package === pkg).length;
  const headKeys = new Set(head.map((r) => r.key));
  return base.filter((r) => !headKeys.has(r.key) && count(head, r.package) < count(base, r.package));
}
