// Runs the gate table: each gate that is not off runs, and its findings become diagnostics with the
// gate's code and the level CheckSettings gives it.
import type { Diagnostic } from '../../../compiler/src/diagnostics/diagnostic.ts';
import type { GateCode, GateLevel } from '../../../compiler/src/schema/check-settings.ts';
import type { GateFacts } from './gate.ts';
import { GATES } from './gates/table.ts';

/** How one gate went. */
export interface GateResult {
  readonly code: GateCode;
  readonly level: GateLevel;
  /** passed: no finding; failed: findings (at the gate's level); skipped: an input is missing; off: not run. */
  readonly status: 'passed' | 'failed' | 'skipped' | 'off';
  readonly findings: number;
  /** Why a gate was skipped. */
  readonly reason?: string;
}

export function runGates(facts: GateFacts): { results: GateResult[]; diagnostics: Diagnostic[] } {
  const results: GateResult[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const gate of GATES) {
    const level = facts.settings.gates[gate.code];
    if (level === 'off') {
      results.push({ code: gate.code, level, status: 'off', findings: 0 });
      continue;
    }
    const outcome = gate.run(facts);
    if ('skipped' in outcome) {
      results.push({ code: gate.code, level, status: 'skipped', findings: 0, reason: outcome.skipped });
      continue;
    }
    results.push({ code: gate.code, level, status: outcome.findings.length > 0 ? 'failed' : 'passed', findings: outcome.findings.length });
    for (const finding of outcome.findings) diagnostics.push({ code: gate.code, severity: level, ...finding });
  }
  return { results, diagnostics };
}
