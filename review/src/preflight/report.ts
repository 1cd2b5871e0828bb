// The preflight report: every point's outcome, in checklist order. JSON output is this object.
import type { PointResult } from './point.ts';

export const PREFLIGHT_FORMAT = 'gatehouse.dev/preflight/v1';

export interface PreflightReport {
  readonly format: typeof PREFLIGHT_FORMAT;
  readonly summary: { readonly passed: number; readonly failed: number; readonly notApplicable: number };
  readonly points: readonly PointResult[];
}

/** 1 when any point failed: CI stops the deployment. */
export const preflightExitCode = (report: PreflightReport): number => (report.summary.failed > 0 ? 1 : 0);
