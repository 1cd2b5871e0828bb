// Rule: a grant's `user:` subject names the identity provider whose sub it is (`user:<provider>/<sub>`),
// and that provider exists. A bare `user:<sub or email>` (the form before principals were scoped) would
// match a token of any provider whose sub is that string, including an email another provider lets
// anyone claim; it is refused with the migration.
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { closest } from '../../util/closest.ts';
import type { RuleContext } from './context.ts';

export function principals(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const providers = ctx.byName('IdentityProvider');
  const example = [...providers.keys()].sort()[0] ?? '<provider>';
  for (const doc of ctx.docs.Grant) {
    doc.spec.subjects.forEach((subject, i) => {
      if (!subject.startsWith('user:')) return;
      const location = doc.at(['subjects', i]);
      const rest = subject.slice('user:'.length);
      const slash = rest.indexOf('/');
      if (slash <= 0 || slash === rest.length - 1) {
        const isEmail = rest.includes('@');
        out.push({
          code: 'unscoped-user-principal',
          severity: 'error',
          message: `Grant "${doc.name}" subject "${subject}" names no identity provider`,
          location,
          hint: isEmail
            ? `An email is a principal of its own: write "email:${rest}" (it matches only tokens with email_verified: true), ` +
              `or "user:${example}/<sub>" for the user's sub at one provider.`
            : `Write "user:${example}/${rest}": a sub names a user only at the provider that issued it.`,
        });
        return;
      }
      const provider = rest.slice(0, slash);
      if (providers.has(provider) || ctx.isInvalid('IdentityProvider', provider)) return;
      const guess = closest(provider, [...providers.keys()]);
      out.push({
        code: 'unknown-reference',
        severity: 'error',
        message: `Grant "${doc.name}" subject refers to IdentityProvider "${provider}", which does not exist${guess ? ` (did you mean "${guess}"?)` : ''}`,
        location,
        hint: providers.size
          ? `Known IdentityProvider names: ${[...providers.keys()].sort().join(', ')}.`
          : 'No IdentityProvider is defined; add one under registry/.',
      });
    });
  }
  return out;
}
