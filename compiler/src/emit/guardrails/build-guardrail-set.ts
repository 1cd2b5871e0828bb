// Builds guardrails/guardrails.json (artifacts/src/guardrails/guardrail-set.ts) from the IR, and
// says which virtual servers' tools/call routes switch the guardrail processor on.
import type { GuardrailSet } from '../../../../artifacts/src/guardrails/guardrail-set.ts';
import type { Ir } from '../../ir/types.ts';

export function buildGuardrailSet(ir: Pick<Ir, 'guardrails'>): GuardrailSet {
  const tools: Record<string, Record<string, string[]>> = {};
  for (const g of ir.guardrails) {
    for (const { virtualServer, publicTool } of g.tools) ((tools[virtualServer] ??= {})[publicTool] ??= []).push(g.name);
  }
  const sorted = Object.fromEntries(
    Object.keys(tools)
      .sort()
      .map((vs) => [vs, Object.fromEntries(Object.entries(tools[vs] ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)))]),
  );
  return {
    guardrails: Object.fromEntries(ir.guardrails.map((g) => [g.name, { rules: g.rules, maxBodyBytes: g.maxBodyBytes }])),
    tools: sorted,
  };
}

/** The virtual servers with at least one guarded tool. */
export function guardedVirtualServers(ir: Pick<Ir, 'guardrails'>): ReadonlySet<string> {
  return new Set(ir.guardrails.flatMap((g) => g.tools.map((t) => t.virtualServer)));
}

/** How long one message to the guardrail processor may take: its slowest external detector, plus margin. */
export function guardrailMessageTimeoutMs(ir: Pick<Ir, 'guardrails'>, authzTimeoutMs: number): number {
  const external = ir.guardrails.flatMap((g) => g.rules.map((r) => r.external?.timeoutMs ?? 0));
  return Math.max(authzTimeoutMs, 1000, ...external.map((t) => t + 500));
}
