// Cross-reference validation: the rules that need the whole registry, run in a fixed order.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Kind } from '../schema/kinds.ts';
import type { SourceFile } from '../source/read-tree.ts';
import type { DocumentsByKind } from './registry-document.ts';
import { ruleContext, type RuleContext } from './rules/context.ts';
import { aggregation } from './rules/aggregation.ts';
import { duplicateNames } from './rules/duplicate-names.ts';
import { gateways } from './rules/gateways.ts';
import { guardrails } from './rules/guardrails.ts';
import { grantCapabilities } from './rules/grant-capabilities.ts';
import { identityProviders } from './rules/identity-providers.ts';
import { principals } from './rules/principals.ts';
import { references } from './rules/references.ts';
import { subjectLimits } from './rules/subject-limits.ts';
import { toolSelection } from './rules/tool-selection.ts';
import { upstreamIdentities } from './rules/upstream-identities.ts';
import { urls } from './rules/urls.ts';

const RULES: readonly ((ctx: RuleContext) => Diagnostic[])[] = [
  duplicateNames, references, principals, toolSelection, aggregation, identityProviders, gateways, urls, grantCapabilities, subjectLimits,
  guardrails, upstreamIdentities,
];

export function validateReferences(
  docs: DocumentsByKind,
  referencedFiles: ReadonlyMap<string, SourceFile>,
  invalidNames: ReadonlyMap<Kind, ReadonlySet<string>>,
): Diagnostic[] {
  const ctx = ruleContext(docs, referencedFiles, invalidNames);
  return RULES.flatMap((rule) => rule(ctx));
}
