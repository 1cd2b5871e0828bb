// Points a finding about the policy's behaviour at a line of Rego: the line holding one of the
// decision's reasons as a string literal, else the first line the change touched relative to the base.
import type { SourceLocation } from '../../../compiler/src/diagnostics/diagnostic.ts';
import type { SourceFile } from '../../../compiler/src/source/read-tree.ts';
import { firstDifferentLine } from './first-difference.ts';
import { isPolicySource } from './rego/policy-source.ts';

export function policyLocation(
  head: readonly SourceFile[],
  base: readonly SourceFile[] | undefined,
  reasons: readonly string[],
): SourceLocation | undefined {
  return literalLocation(head, reasons) ?? (base ? changedLocation(head, base) : undefined);
}

/** The first line of a non-test policy that holds one of the texts as a string literal. */
function literalLocation(files: readonly SourceFile[], texts: readonly string[]): SourceLocation | undefined {
  for (const text of texts) {
    const literals = [JSON.stringify(text), `\`${text}\``];
    for (const file of files.filter(isPolicySource)) {
      const lines = file.text.split('\n');
      for (const [i, line] of lines.entries()) {
        const column = Math.max(...literals.map((l) => line.indexOf(l)));
        if (column >= 0) return { file: file.path, line: i + 1, column: column + 1 };
      }
    }
  }
  return undefined;
}

/** The first line the head changed or added, in the first non-test policy file that differs from the base. */
function changedLocation(head: readonly SourceFile[], base: readonly SourceFile[]): SourceLocation | undefined {
  for (const file of head.filter(isPolicySource)) {
    const before = base.find((b) => b.path === file.path)?.text;
    if (before === file.text) continue;
    return { file: file.path, line: before === undefined ? 1 : firstDifferentLine(file.text, before), column: 1 };
  }
  return undefined;
}
