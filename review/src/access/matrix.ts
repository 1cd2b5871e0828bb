// The effective access matrix: for each subject, the tools it may call, from one evaluation of the
// bundle's tools entrypoint per subject (the same bundle that enforces requests).
import type { Ir, IrServer } from '../../../compiler/src/ir/types.ts';
import { TOOLS_ENTRYPOINT, type PolicyEngine, type ToolsResult } from '../../../artifacts/src/policy/engine.ts';
import type { MatrixSubject } from './subjects.ts';

export interface SubjectAccess {
  readonly subject: string;
  readonly note?: string;
  /** Callable tools by server. */
  readonly servers: Readonly<Record<string, readonly string[]>>;
  /** Callable public tool names by virtual server. */
  readonly virtualServers: Readonly<Record<string, readonly string[]>>;
}

export interface AccessMatrix {
  readonly subjects: readonly SubjectAccess[];
  /** Every tool of the registry, with its risk and owner, as `server/tool`. */
  readonly tools: readonly { readonly server: string; readonly tool: string; readonly risk: string; readonly owner: string | null }[];
}

export function computeAccessMatrix(engine: PolicyEngine, ir: Ir, subjects: readonly MatrixSubject[]): AccessMatrix {
  return {
    subjects: subjects.map((subject) => subjectAccess(engine, subject)),
    tools: ir.servers.flatMap((s: IrServer) => s.tools.map((t) => ({ server: s.name, tool: t.name, risk: t.risk, owner: s.owner ?? null }))),
  };
}

function subjectAccess(engine: PolicyEngine, subject: MatrixSubject): SubjectAccess {
  if (!subject.claims) return { subject: subject.id, ...(subject.note ? { note: subject.note } : {}), servers: {}, virtualServers: {} };
  const result = engine.evaluate(TOOLS_ENTRYPOINT, { jwt: { claims: subject.claims } }) as ToolsResult | undefined;
  return {
    subject: subject.id,
    servers: sortedLists(result?.servers ?? {}),
    virtualServers: sortedLists(result?.virtual_servers ?? {}),
  };
}

/** The lists of a record, sorted, without empty ones, keys in order. */
export function sortedLists(record: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(record)
      .filter(([, list]) => list.length > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, list]) => [key, [...list].sort()]),
  );
}

/** Whether a subject may call server/tool. */
export function canCall(access: SubjectAccess, server: string, tool: string): boolean {
  return access.servers[server]?.includes(tool) ?? false;
}
