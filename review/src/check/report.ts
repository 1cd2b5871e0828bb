// The result of `gatehouse check`: diagnostics (lint, compile and gates), each gate's result, and with
// --base the access and configuration diffs and the reviewers they need. `--format json` prints it,
// and `gatehouse github report --report FILE` reads it back.
import type { Diagnostic } from '../../../compiler/src/diagnostics/diagnostic.ts';
import type { AccessDiff } from '../diff/access-diff.ts';
import type { ConfigDiff } from '../diff/config-diff.ts';
import type { RequiredReviewer } from '../diff/required-reviewers.ts';
import type { ToolDecisionLayer } from '../access/decision-layers.ts';
import type { RiskLevel } from '../../../compiler/src/schema/common.ts';
import type { GateResult } from './run-gates.ts';
import type { ToolChange } from '../tool-pinning/compare-locks.ts';

export const REPORT_FORMAT = 'gatehouse.dev/check-report/v1';

export interface CheckReport {
  readonly format: typeof REPORT_FORMAT;
  /** The base revision the head was compared with (--base), as given and as a commit. */
  readonly base?: { readonly ref: string; readonly commit: string };
  readonly summary: { readonly errors: number; readonly warnings: number };
  readonly gates: readonly GateResult[];
  /** Every diagnostic, sorted by place. */
  readonly diagnostics: readonly Diagnostic[];
  /** The risk levels treated as high risk (from CheckSettings), for marking them in reports. */
  readonly highRisk: readonly RiskLevel[];
  /** With --base, when both revisions compiled. */
  readonly access?: AccessDiff;
  /** With --base, when both registries are valid. */
  readonly config?: ConfigDiff;
  readonly reviewers: readonly RequiredReviewer[];
  /** Where each tools/call of the head revision is decided (review/src/access/decision-layers.ts). */
  readonly decidedBy?: readonly ToolDecisionLayer[];
  /** With --base: the tool definitions whose pins changed in tools.lock.yaml. */
  readonly tools?: readonly ToolChange[];
  /** With --live: the live tool definitions that differ from tools.lock.yaml. */
  readonly drift?: readonly ToolChange[];
}

/** 1 when any diagnostic is an error (a failed error-level gate, or a lint or compile error), else 0. */
export function checkExitCode(report: CheckReport): 0 | 1 {
  return report.summary.errors > 0 ? 1 : 0;
}

/** Reads a report written by `gatehouse check --format json`; a message when it is not one. */
export function parseCheckReport(text: string, name: string): CheckReport | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: `${name} is not JSON; write it with \`gatehouse check --format json > ${name}\`` };
  }
  const report = value as Partial<CheckReport> | null;
  if (!report || report.format !== REPORT_FORMAT || !Array.isArray(report.diagnostics) || !Array.isArray(report.gates)) {
    return { problem: `${name} is not a gatehouse check report (format ${REPORT_FORMAT}); write it with \`gatehouse check --format json\`` };
  }
  return report as CheckReport;
}
