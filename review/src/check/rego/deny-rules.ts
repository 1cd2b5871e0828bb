// The deny rules of a set of policies: the organisation rules (`deny contains …`, `deny[msg] …`,
// `deny if …`) at the top level of each non-test `.rego` file, with their package and text. Rules are
// compared across revisions by package and text (whitespace and comments ignored), so reformatting a
// rule does not count as removing it.
import type { SourceFile } from '../../../../compiler/src/source/read-tree.ts';

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
  return files.filter((f) => f.path.endsWith('.rego') && !f.path.endsWith('_test.rego') && f.text !== undefined).flatMap((f) => rulesOf(f.path, f.text!));
}

function rulesOf(file: string, text: string): DenyRule[] {
  const lines = text.split('\n');
  const pkg = lines.map((l) => /^package\s+([\w.]+)/.exec(l)?.[1]).find(Boolean) ?? '';
  const rules: DenyRule[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!DENY_HEAD.test(lines[i]!)) continue;
    let end = i + 1;
    // The rule goes on while lines are indented, blank, or close a bracket at column 1.
    while (end < lines.length && (/^(\s|$|[}\])])/.test(lines[end]!) || lines[end]!.startsWith('#'))) end++;
    const body = lines
      .slice(i, end)
      .map((l) => l.replace(/#.*$/, ''))
      .join(' ');
    const text = body.replace(/\s+/g, ' ').trim();
    rules.push({ package: pkg, file, line: i + 1, summary: text.length > 120 ? `${text.slice(0, 119)}…` : text, key: `${pkg} ${text}` });
  }
  return rules;
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
