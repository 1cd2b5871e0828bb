// Rules on McpServer `upstream.identity`: one way to authenticate upstream, an identity provider with a
// token endpoint, and, for token exchange, every caller's identity provider trusted by the exchanging one.
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { RuleContext } from './context.ts';

export function upstreamIdentities(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const providers = ctx.byName('IdentityProvider');
  for (const doc of ctx.docs.McpServer) {
    const identity = doc.spec.upstream.identity;
    if (!identity) continue;
    if (doc.spec.credential) {
      out.push({
        code: 'upstream-identity-conflict',
        severity: 'error',
        message: `McpServer "${doc.name}" names both credential (a static secret) and upstream.identity (${identity.mode})`,
        location: doc.at(['credential'], true),
        hint: 'Keep one: upstream.identity fetches a token per caller or for the gateway; credential sends the same secret for every caller.',
      });
    }
    const provider = providers.get(identity.identityProvider);
    if (!provider) {
      if (!ctx.isInvalid('IdentityProvider', identity.identityProvider)) {
        out.push({
          code: 'upstream-identity-provider',
          severity: 'error',
          message: `McpServer "${doc.name}" upstream.identity names IdentityProvider "${identity.identityProvider}", which does not exist`,
          location: doc.at(['upstream', 'identity', 'identityProvider']),
        });
      }
      continue;
    }
    if (provider.spec.tokenEndpoint === undefined) {
      out.push({
        code: 'upstream-identity-provider',
        severity: 'error',
        message: `McpServer "${doc.name}" upstream.identity uses IdentityProvider "${provider.name}", which has no tokenEndpoint`,
        location: doc.at(['upstream', 'identity', 'identityProvider']),
        hint: `Add tokenEndpoint (its OAuth token endpoint URL) to IdentityProvider "${provider.name}".`,
      });
    }
    if (identity.mode !== 'token-exchange') continue;
    const trusted = new Set([provider.name, ...(identity.trustedIssuers ?? [])]);
    const untrusted = ctx.docs.IdentityProvider.map((p) => p.name).filter((name) => !trusted.has(name));
    if (untrusted.length > 0) {
      out.push({
        code: 'upstream-identity-trust',
        severity: 'error',
        message:
          `McpServer "${doc.name}" exchanges callers' tokens at IdentityProvider "${provider.name}", but callers may also hold tokens of ` +
          `${untrusted.map((n) => `"${n}"`).join(', ')}, which it is not declared to accept`,
        location: doc.at(['upstream', 'identity', 'mode']),
        hint: 'List those providers in upstream.identity.trustedIssuers once the exchanging provider trusts them, or exchange at their own token endpoint.',
      });
    }
  }
  out.push(...aggregatedIdentities(ctx));
  return out;
}

/**
 * A server with an upstream identity must be its virtual servers' only member: an aggregated virtual
 * server fans `initialize` and `tools/list` out to every member, and one member's token must reach no other.
 */
function aggregatedIdentities(ctx: RuleContext): Diagnostic[] {
  const withIdentity = new Set(ctx.docs.McpServer.filter((doc) => doc.spec.upstream.identity).map((doc) => doc.name));
  return ctx.docs.VirtualServer.flatMap((vs): Diagnostic[] => {
    if (vs.spec.members.length < 2) return [];
    const index = vs.spec.members.findIndex((m) => withIdentity.has(m.server));
    const member = vs.spec.members[index];
    if (!member) return [];
    return [{
      code: 'upstream-identity-aggregated',
      severity: 'error',
      message: `VirtualServer "${vs.name}" aggregates McpServer "${member.server}", whose upstream.identity gives it a token of its own`,
      location: vs.at(['members', index, 'server']),
      hint: `Serve "${member.server}" from a virtual server of its own: an aggregated endpoint sends initialize and tools/list to every member.`,
    }];
  });
}
