// Evidence for the SSO/RBAC point: how the gateway authenticates to each server. A static secret is
// the same for every caller, so such a server cannot tell who is calling; token exchange gives it the
// caller, client credentials a service identity (McpServer `upstream.identity`). Counted, not judged:
// a server that does no per-user checks may rightly keep a static secret.
import type { Ir } from '../../../../compiler/src/ir/types.ts';

export function upstreamIdentityEvidence(ir: Pick<Ir, 'servers'>): string {
  const shared = ir.servers.filter((s) => s.credential && !s.identity).map((s) => s.name);
  const exchanged = ir.servers.filter((s) => s.identity?.mode === 'token-exchange').length;
  const service = ir.servers.filter((s) => s.identity?.mode === 'client-credentials').length;
  const sharedText = shared.length ? `${String(shared.length)} still on a shared static secret (${shared.join(', ')})` : 'none on a shared static secret';
  return `upstream identity: ${sharedText}; ${String(exchanged)} on token exchange per caller, ${String(service)} on client credentials, ` +
    `of ${String(ir.servers.length)} servers`;
}
