// One point of the pre-deployment checklist (`gatehouse preflight`): its outcome, the evidence that
// led to it, and, when it failed, the fix. Points are pure functions of PreflightFacts.
import type { PreflightFacts } from './facts.ts';

export const POINT_STATUSES = ['passed', 'failed', 'not-applicable'] as const;
export type PointStatus = (typeof POINT_STATUSES)[number];

/** What a point concluded. */
export interface PointOutcome {
  readonly status: PointStatus;
  /** What was looked at, one fact a line (a server's region, a gateway's retention). */
  readonly evidence: readonly string[];
  /** What to change, when the point failed. */
  readonly fix?: string;
}

/** A checked point, as reported. */
export interface PointResult extends PointOutcome {
  readonly id: string;
  readonly title: string;
}

export interface PreflightPoint {
  readonly id: string;
  readonly title: string;
  check(facts: PreflightFacts): PointOutcome;
}

export const passed = (evidence: readonly string[]): PointOutcome => ({ status: 'passed', evidence });
export const failed = (evidence: readonly string[], fix: string): PointOutcome => ({ status: 'failed', evidence, fix });
export const notApplicable = (evidence: readonly string[]): PointOutcome => ({ status: 'not-applicable', evidence });

/** Passed when no problem was found, else failed with the problems first. */
export function judged(problems: readonly string[], fine: readonly string[], fix: string): PointOutcome {
  return problems.length ? failed([...problems, ...fine], fix) : passed(fine);
}
