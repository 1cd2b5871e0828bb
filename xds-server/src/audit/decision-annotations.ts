// What the control plane adds to the policy's dynamic_metadata before answering Envoy, so the
// request's own access-log entry carries everything its audit record needs: Envoy copies the
// metadata into the entry (namespace envoy.filters.http.ext_authz). ext_authz is the one place that
// sees the request body, so the argument digest is taken here; the price is set by the same
// artifact version that decided.
import type { PolicyInput } from '../authz/check-input.ts';
import type { Decision } from '../authz/decision.ts';
import { auditArguments } from './audit-arguments.ts';
import { type AuditCatalog } from '../../../artifacts/src/audit-catalog.ts';

export interface AuditContext {
  readonly catalog: AuditCatalog;
  /** The artifact version in force. */
  readonly version: string;
}

export function annotateDecision(input: PolicyInput | undefined, decision: Decision, context: AuditContext | undefined): Decision {
  const annotations = decisionAnnotations(input, decision, context);
  return { ...decision, dynamic_metadata: { ...(decision.dynamic_metadata ?? {}), ...annotations } };
}

export function decisionAnnotations(input: PolicyInput | undefined, decision: Decision, context: AuditContext | undefined): Record<string, unknown> {
  const meta = decision.dynamic_metadata ?? {};
  const server = text(meta.server);
  const tool = text(meta.tool);
  const team = text(meta.team);
  const out: Record<string, unknown> = {};
  if (context) out.policy_version = context.version;
  const error = jsonRpcError(decision);
  if (error) out.error = error;
  if (!context || !input) return out;
  const { catalog } = context;

  const claims = input.jwt?.claims;
  const issuer = claims && typeof claims.iss === 'string' ? catalog.issuers[claims.iss] : undefined;
  const email = issuer && claims ? claims[issuer.emailClaim] : undefined;
  if (typeof email === 'string') out.email = email;

  const serverEntry = server ? catalog.servers[server] : undefined;
  const toolEntry = tool ? serverEntry?.tools[tool] : undefined;
  const costCenter = (team ? catalog.teams[team]?.costCenter : undefined) ?? serverEntry?.costCenter ?? null;
  if (costCenter) out.cost_center = costCenter;
  const isCall = input.mcp.method === 'tools/call';
  out.cost = isCall && decision.allowed && toolEntry ? toolEntry.costPerCall : 0;

  if (isCall && input.mcp.arguments !== undefined) {
    const gateway = input.mcp.gateway ? catalog.gateways[input.mcp.gateway] : undefined;
    const mode = toolEntry?.arguments ?? gateway?.arguments ?? 'digest';
    out.arguments = auditArguments(input.mcp.arguments, mode, [...(gateway?.redact ?? []), ...(toolEntry?.redact ?? [])]);
  }
  return out;
}

/** The JSON-RPC error a denial sends the client, read back from its body. */
function jsonRpcError(decision: Decision): { code: number; message: string } | undefined {
  if (decision.allowed || !decision.body) return undefined;
  try {
    const error = (JSON.parse(decision.body) as { error?: { code?: unknown; message?: unknown } }).error;
    return typeof error?.code === 'number' ? { code: error.code, message: typeof error.message === 'string' ? error.message : '' } : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
