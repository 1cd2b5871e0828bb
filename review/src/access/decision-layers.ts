// Where each tools/call is decided, for `gatehouse access` and the check report: Envoy's RBAC filter
// (compiled from the grants and organisation rules, no control-plane call) or ext_authz (the Wasm
// policy in the control plane), with the reason. A tool the analysis can place in RBAC is still
// decided by ext_authz when no gateway serving its virtual server has `authz.staticDecisions: rbac`.
import type { Ir } from '../../../compiler/src/ir/types.ts';
import type { StaticDecisions, DecisionLayer } from '../../../compiler/src/partial/placements.ts';

export interface ToolDecisionLayer {
  readonly virtualServer: string;
  /** The public tool name. */
  readonly tool: string;
  readonly layer: DecisionLayer;
  readonly reason: string;
}

export function decisionLayers(ir: Ir, decisions: StaticDecisions): ToolDecisionLayer[] {
  const inRbac = new Set(ir.gateways.filter((g) => g.staticDecisions === 'rbac').flatMap((g) => g.virtualServers));
  return decisions.placements.map((p) => {
    const enabled = inRbac.has(p.virtualServer);
    const layer: DecisionLayer = p.layer === 'rbac' && enabled ? 'rbac' : 'ext_authz';
    const reason = p.layer === 'rbac' && !enabled ? `RBAC could (${p.reason}), but staticDecisions is ext_authz` : p.reason;
    return { virtualServer: p.virtualServer, tool: p.name, layer, reason };
  });
}

export function renderDecisionLayersText(layers: readonly ToolDecisionLayer[]): string {
  const header = ['virtual server', 'tool', 'decided by', 'why'];
  const rows = layers.map((l) => [l.virtualServer, l.tool, l.layer, l.reason]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}
