// The check report as text for the terminal: the diffs, each gate's result, then the diagnostics in
// the same `file:line:col: severity [code] message` form as lint and compile.
import { renderToolChangesText } from '../tool-pinning/render-tool-changes.ts';
import { formatDiagnostics } from '../../../compiler/src/diagnostics/format.ts';
import { accessDiffText, configDiffText, reviewersText } from '../diff/render-text.ts';
import type { CheckReport } from './report.ts';

export function renderCheckText(report: CheckReport): string {
  const lines: string[] = [];
  if (report.base) {
    const access = report.access ? accessDiffText(report.access) : ['  unavailable: a revision does not compile'];
    lines.push(`Access changes (compared with ${report.base.ref}):`, ...access);
    lines.push('Configuration changes:', ...(report.config ? configDiffText(report.config) : ['  unavailable: a registry has errors']));
    if (report.reviewers.length > 0) lines.push('Required reviewers (owners of newly granted high-risk tools):', ...reviewersText(report.reviewers));
  }
  if (report.decidedBy) {
    const inRbac = report.decidedBy.filter((d) => d.layer === 'rbac').length;
    lines.push(`Tool calls decided by Envoy RBAC: ${String(inRbac)}; by ext_authz: ${String(report.decidedBy.length - inRbac)} (gatehouse access lists them)`);
  }
  if (report.tools) lines.push(renderToolChangesText('Tool definitions re-pinned (tools.lock.yaml)', report.tools).trimEnd());
  if (report.drift && report.drift.length > 0) lines.push(renderToolChangesText('Live tools that differ from tools.lock.yaml', report.drift).trimEnd());
  lines.push('Gates:');
  for (const g of report.gates) {
    const status = g.status === 'failed' ? (g.level === 'error' ? 'FAILED' : 'warning') : g.status;
    const detail = g.status === 'failed' ? ` (${g.findings} finding${g.findings === 1 ? '' : 's'})` : g.status === 'skipped' ? `: ${g.reason}` : '';
    lines.push(`  ${status.padEnd(8)} ${g.code}${detail}`);
  }
  return `${lines.join('\n')}\n${formatDiagnostics(report.diagnostics, 'text')}`;
}
