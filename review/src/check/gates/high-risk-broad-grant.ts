// Gate high-risk-broad-grant: a high-risk tool granted to every authenticated user, or selected by a
// wildcard. Points at the tool selector in the grant.
import type { Ir, IrGrant, IrGrantAccess } from '../../../../compiler/src/ir/types.ts';
import { AUTHENTICATED } from '../../access/subjects.ts';
import { isGlob, selectTools } from '../../../../compiler/src/util/glob.ts';
import { skipped, type Gate, type GateFinding } from '../gate.ts';
import type { RegistryLocator } from '../registry-locator.ts';

export const highRiskBroadGrant: Gate = {
  code: 'high-risk-broad-grant',
  run(facts) {
    const ir = facts.head.ir;
    if (!ir) return skipped('the head registry has errors');
    const findings: GateFinding[] = [];
    for (const grant of ir.grants) {
      grant.access.forEach((access, i) => findings.push(...check(ir, facts.locate, facts.settings.highRisk, grant, access, i)));
    }
    return { findings };
  },
};

function check(ir: Ir, locate: RegistryLocator, highRisk: readonly string[], grant: IrGrant, access: IrGrantAccess, index: number): GateFinding[] {
  const risky = new Map(
    (ir.servers.find((s) => s.name === access.server)?.tools ?? []).filter((t) => highRisk.includes(t.risk)).map((t) => [t.name, t.risk]),
  );
  const findings: GateFinding[] = [];
  access.selectors.forEach((selector, j) => {
    const selected = selectTools(selector, access.tools).filter((tool) => risky.has(tool));
    if (selected.length === 0) return;
    const tools = selected.map((tool) => `${access.server}/${tool} (${risky.get(tool)})`).join(', ');
    const location = locate.at('Grant', grant.name, ['access', index, 'tools', j]) ?? access.source;
    if (grant.subjects.includes(AUTHENTICATED)) {
      findings.push({
        message: `Grant "${grant.name}" gives every authenticated user the high-risk tool${selected.length > 1 ? 's' : ''} ${tools}`,
        location,
        hint: 'Grant high-risk tools to the teams that need them, not to `authenticated`.',
      });
    }
    if (isGlob(selector)) {
      findings.push({
        message: `Grant "${grant.name}" selects the high-risk tool${selected.length > 1 ? 's' : ''} ${tools} with the wildcard "${selector}"`,
        location,
        hint: 'Name high-risk tools one by one, so a tool added to the server later is not granted without review.',
      });
    }
  });
  return findings;
}
