// Rules on per-subject limits: a token bucket smaller than one second's refill would cap a caller
// below the rate the registry promises, silently. Checked for each gateway and for each virtual
// server on each gateway that serves it (its limits are the gateway's, overridden by its own).
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { subjectLimitDefaults } from '../../resolve/defaults.ts';
import type { SubjectLimits } from '../../schema/subject-limits.ts';
import type { RuleContext } from './context.ts';
import { servesVirtualServer } from './gateways.ts';

export function subjectLimits(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const gateway of ctx.docs.Gateway) {
    const limits = { ...subjectLimitDefaults, ...gateway.spec.limits };
    if (gateway.spec.limits && burstBelowRate(limits)) {
      out.push(diagnostic(`Gateway "${gateway.name}"`, limits, gateway.at(['limits'])));
    }
    for (const vs of ctx.docs.VirtualServer) {
      if (!vs.spec.limits || !servesVirtualServer(gateway.name, gateway.spec.virtualServers, vs.name, vs.spec.gateways)) continue;
      const effective = { ...limits, ...vs.spec.limits };
      if (burstBelowRate(effective)) out.push(diagnostic(`VirtualServer "${vs.name}" on Gateway "${gateway.name}"`, effective, vs.at(['limits'])));
    }
  }
  return out;
}

function burstBelowRate(limits: Required<SubjectLimits>): boolean {
  return limits.burst < limits.callsPerSecond;
}

function diagnostic(what: string, limits: Required<SubjectLimits>, location: Diagnostic['location']): Diagnostic {
  return {
    code: 'limits-burst-below-rate',
    severity: 'error',
    message: `${what} allows ${String(limits.callsPerSecond)} calls per second but a burst of only ${String(limits.burst)}`,
    location,
    hint: 'The burst is the token bucket\'s size: set it to at least callsPerSecond (or leave it out on both to keep the defaults).',
  };
}
