// Grants nobody can use: a tool a Grant gives a subject that the compiled policy denies that subject
// on every call (an organisation rule such as policies/org/clearance.rego denies a team every server
// above its clearance), or that no virtual server serves. Such a grant passes every other gate
// silently, yet the reviewer reads it as access given. Each finding carries the policy's reasons.
import { DECISION_ENTRYPOINT, type PolicyEngine } from '../../../artifacts/src/policy/engine.ts';
import type { Ir } from '../../../compiler/src/ir/types.ts';
import { canCall, type AccessMatrix } from '../access/matrix.ts';
import { matrixSubjects } from '../access/subjects.ts';

/** Tools one access entry of a grant gives a subject that the subject can never call, for one cause. */
export interface UnusableGrant {
  readonly grant: string;
  /** The index of the entry in the grant's `access`. */
  readonly accessIndex: number;
  readonly subject: string;
  readonly server: string;
  readonly tools: readonly string[];
  /** Why the calls are refused: the decision's deny reasons, or that no virtual server serves the tool. */
  readonly reasons: readonly string[];
}

export const NOT_SERVED = 'no virtual server serves it';

/** Evaluates a tools/call of every granted tool the matrix says the grant's subject cannot call, and groups them by cause. */
export function probeUnusableGrants(engine: PolicyEngine, ir: Ir, matrix: AccessMatrix): UnusableGrant[] {
  const claimsOf = new Map(matrixSubjects(ir).map((s) => [s.id, s.claims]));
  const found = new Map<string, { grant: string; accessIndex: number; subject: string; server: string; tools: string[]; reasons: readonly string[] }>();
  for (const grant of ir.grants) {
    for (const subject of grant.subjects) {
      const access = matrix.subjects.find((s) => s.subject === subject);
      const claims = claimsOf.get(subject);
      // Subjects no token can be (an unmapped team) are the team-without-idp-mapping gate's; people are not in the matrix.
      if (!access || !claims) continue;
      grant.access.forEach((entry, accessIndex) => {
        for (const tool of entry.tools) {
          if (canCall(access, entry.server, tool)) continue;
          const reasons = refusal(engine, ir, claims, entry.server, tool);
          if (!reasons) continue;
          const key = `${grant.name}\0${accessIndex}\0${subject}\0${reasons.join('\0')}`;
          const group = found.get(key) ?? { grant: grant.name, accessIndex, subject, server: entry.server, tools: [], reasons };
          group.tools.push(tool);
          found.set(key, group);
        }
      });
    }
  }
  return [...found.values()];
}

/** Why a tools/call of server/tool by this subject is refused; undefined when the decision allows it after all. */
function refusal(engine: PolicyEngine, ir: Ir, claims: Readonly<Record<string, unknown>>, server: string, tool: string): readonly string[] | undefined {
  const served = ir.virtualServers.flatMap((vs) =>
    vs.tools.filter((t) => t.server === server && t.tool === tool).map((t) => ({ vs: vs.name, name: t.publicName })),
  );
  const [first] = served;
  if (!first) return [NOT_SERVED];
  const mcp = { virtual_server: first.vs, method: 'tools/call', id: 1, name: first.name, arguments: {} };
  const decision = engine.evaluate(DECISION_ENTRYPOINT, { jwt: { claims }, mcp }) as { allowed?: unknown; reasons?: unknown } | undefined;
  if (decision?.allowed === true) return undefined;
  const reasons = Array.isArray(decision?.reasons) ? decision.reasons.map(String).sort() : [];
  return reasons.length ? reasons : ['the policy denies it'];
}
