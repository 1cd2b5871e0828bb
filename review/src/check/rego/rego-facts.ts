// What the Rego checks found in the head revision's policies: test results, coverage, formatting and
// Regal findings. Each is either a value or the reason it is missing (a tool failed, tests fail).
import type { SourceLocation } from '../../../../compiler/src/diagnostics/diagnostic.ts';

/** A value, or why there is none. */
export type Checked<T> = { readonly value: T } | { readonly problem: string };

/** One `opa test` test. */
export interface RegoTestResult {
  /** `data.<package>.<test name>`. */
  readonly name: string;
  readonly location: SourceLocation;
  readonly failed: boolean;
  /** The evaluation error, when the test errored rather than failed. */
  readonly error?: string;
}

/** `opa test --coverage`: the overall percentage and each file's uncovered line ranges. */
export interface RegoCoverage {
  readonly percent: number;
  readonly files: readonly RegoFileCoverage[];
}

export interface RegoFileCoverage {
  readonly file: string;
  readonly percent: number;
  /** Line ranges no test reached. */
  readonly notCovered: readonly { readonly start: number; readonly end: number }[];
}

/** A policy file that `opa fmt` would change, and the first line it would change. */
export interface UnformattedFile {
  readonly file: string;
  readonly line: number;
}

/** One Regal finding. */
export interface RegalViolation {
  readonly rule: string;
  readonly category: string;
  readonly description: string;
  readonly location: SourceLocation;
  /** Regal's documentation page for the rule. */
  readonly documentation?: string;
}

export interface RegoFacts {
  readonly tests: Checked<readonly RegoTestResult[]>;
  readonly coverage: Checked<RegoCoverage>;
  readonly unformatted: Checked<readonly UnformattedFile[]>;
  readonly lint: Checked<readonly RegalViolation[]>;
}
