// Rule: two documents of one kind may not share a name.
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { KINDS } from '../../schema/kinds.ts';
import type { RegistryDocument } from '../registry-document.ts';
import type { RuleContext } from './context.ts';

export function duplicateNames(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const kind of KINDS) {
    const first = new Map<string, RegistryDocument>();
    for (const doc of ctx.docs[kind] as readonly RegistryDocument[]) {
      const earlier = first.get(doc.name);
      if (!earlier) {
        first.set(doc.name, doc);
        continue;
      }
      out.push({
        code: 'duplicate-name',
        severity: 'error',
        message: `${kind} "${doc.name}" is defined twice (first at ${earlier.location.file}:${earlier.location.line})`,
        location: doc.location,
        hint: 'Names are unique per kind: rename or remove one of them.',
      });
    }
  }
  return out;
}
