// What a policy allows when the registry grants nothing: the compiled bundle is evaluated with its
// data's grants removed, for every subject of the access matrix and for a caller without a token.
// Anything allowed then comes from the Rego alone: the default-allow gate reports it.
import { matrixSubjects, type MatrixSubject } from '../access/subjects.ts';
import type { Ir } from '../../../compiler/src/ir/types.ts';
import { DECISION_ENTRYPOINT, type PolicyEngine, TOOLS_ENTRYPOINT, type ToolsResult } from '../../../artifacts/src/policy/engine.ts';

/** One thing the policy allows without any grant. */
export interface UngrantedAccess {
  /** `team:<name>`, `authenticated`, or `anonymous` (no token). */
  readonly subject: string;
  /** `tools/call` of a tool, or `tools/list` of a virtual server. */
  readonly method: 'tools/call' | 'tools/list';
  readonly virtualServer: string;
  /** The public tool name, for tools/call. */
  readonly tool?: string;
  /** The reasons the decision gave, when the decision allowed it. */
  readonly reasons: readonly string[];
}

export const ANONYMOUS = 'anonymous';

/** The bundle's data with every grant removed (`data.registry.grants` and `grants_by_subject`). */
export function withoutGrants(data: unknown): object {
  const bundled = (data ?? {}) as { registry?: Record<string, unknown> };
  return { ...bundled, registry: { ...bundled.registry, grants: {}, grants_by_subject: {} } };
}

/** Evaluates `engine` (loaded with `withoutGrants`) for every subject, tool and virtual server. */
export function probeUngrantedAccess(engine: PolicyEngine, ir: Ir): UngrantedAccess[] {
  const subjects: MatrixSubject[] = [...matrixSubjects(ir).filter((s) => s.claims), { id: ANONYMOUS }];
  const found = new Map<string, UngrantedAccess>();
  const add = (access: UngrantedAccess) => found.set(`${access.subject}\0${access.virtualServer}\0${access.method}\0${access.tool ?? ''}`, access);
  for (const subject of subjects) {
    const jwt = subject.claims ? { jwt: { claims: subject.claims } } : {};
    const tools = engine.evaluate(TOOLS_ENTRYPOINT, jwt) as ToolsResult | undefined;
    for (const [virtualServer, names] of Object.entries(tools?.virtual_servers ?? {})) {
      for (const tool of names) add({ subject: subject.id, method: 'tools/call', virtualServer, tool, reasons: [] });
    }
    for (const vs of ir.virtualServers) {
      const requests: { method: UngrantedAccess['method']; virtualServer: string; tool?: string }[] = [
        { method: 'tools/list' as const, virtualServer: vs.name },
        ...vs.tools.map((t) => ({ method: 'tools/call' as const, virtualServer: vs.name, tool: t.publicName })),
      ];
      for (const request of requests) {
        const mcp = { virtual_server: request.virtualServer, method: request.method, id: 1, ...(request.tool ? { name: request.tool } : {}) };
        const decision = engine.evaluate(DECISION_ENTRYPOINT, { ...jwt, mcp }) as { allowed?: unknown; reasons?: unknown } | undefined;
        if (decision?.allowed !== true) continue;
        const reasons = Array.isArray(decision.reasons) ? decision.reasons.map(String) : [];
        add({ subject: subject.id, ...request, reasons });
      }
    }
  }
  return [...found.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const key = (a: UngrantedAccess) => `${a.subject} ${a.virtualServer} ${a.method} ${a.tool ?? ''}`;
