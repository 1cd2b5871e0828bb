// A safety gate of `gatehouse check`: a named rule with a code, run as a pure function over what the
// check gathered (IRs, access matrices, the access diff, Rego test results). Gates are listed in
// gates/table.ts; their levels (error, warning, off) come from the registry's CheckSettings.
import type { AccessMatrix } from '../access/matrix.ts';
import type { SourceLocation } from '../../../compiler/src/diagnostics/diagnostic.ts';
import type { AccessDiff } from '../diff/access-diff.ts';
import type { Ir, IrCheckSettings } from '../../../compiler/src/ir/types.ts';
import type { GateCode } from '../../../compiler/src/schema/check-settings.ts';
import type { SourceFile } from '../../../compiler/src/source/read-tree.ts';
import type { RegistryLocator } from './registry-locator.ts';
import type { RegoFacts } from './rego/rego-facts.ts';
import type { UngrantedAccess } from './ungranted-access.ts';
import type { UnusableGrant } from './unusable-grants.ts';

/** One thing a gate found; the gate's code and level are added when it becomes a diagnostic. */
export interface GateFinding {
  readonly message: string;
  readonly location?: SourceLocation;
  readonly hint?: string;
}

/** What a gate returns: its findings, or why it could not run. */
export type GateOutcome = { readonly findings: readonly GateFinding[] } | { readonly skipped: string };

/** One revision of the repository, as far as it compiled. */
export interface RevisionFacts {
  /** The IR, when the registry is valid. */
  readonly ir?: Ir;
  /** The access matrix from the compiled bundle, when it compiled. */
  readonly matrix?: AccessMatrix;
  /** Every `.rego` file of policies/, tests included. */
  readonly policies: readonly SourceFile[];
}

export interface GateFacts {
  readonly settings: IrCheckSettings;
  readonly head: RevisionFacts;
  /** The base revision, with --base. */
  readonly base?: RevisionFacts;
  /** Head relative to base, when both compiled. */
  readonly accessDiff?: AccessDiff;
  /** The Rego checks of the head revision. */
  readonly rego: RegoFacts;
  /** What the head policy allows with every grant removed, when it compiled. */
  readonly ungranted?: readonly UngrantedAccess[];
  /** The granted tools the head policy refuses their subjects on every call, when it compiled. */
  readonly unusable?: readonly UnusableGrant[];
  /** Where things are in the head revision's registry files. */
  readonly locate: RegistryLocator;
}

export interface Gate {
  readonly code: GateCode;
  run(facts: GateFacts): GateOutcome;
}

/** The outcome of a gate that could not run because an input is missing. */
export const skipped = (reason: string): GateOutcome => ({ skipped: reason });
