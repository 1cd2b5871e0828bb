// Rules on what grants let their subjects do: the mistakes that show only at run time, as a 403 on a
// resource or prompt the client could list (listing needs no grant; reading and using do).
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { RuleContext } from './context.ts';

export function grantCapabilities(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const doc of ctx.docs.Grant) {
    const { capabilities, methods } = doc.spec;
    const servers = [...new Set(doc.spec.access.map((a) => a.server))].sort().join(', ');
    if (capabilities === undefined && methods === undefined) {
      out.push({
        code: 'grant-default-capabilities',
        severity: 'info',
        message:
          `Grant "${doc.name}" gives call-tools only (the default): its subjects can list the resources and prompts of ${servers} ` +
          'but not read, subscribe to or use them',
        location: doc.location,
        hint: 'Say what the subjects may do: `capabilities: [call-tools]` for tools only, or add read-resources, use-prompts, complete.',
      });
      continue;
    }
    const granted = new Set([...(capabilities ?? []), ...(methods ?? [])]);
    const subscribes = granted.has('subscribe-resources') || granted.has('resources/subscribe');
    const reads = granted.has('read-resources') || granted.has('resources/read');
    if (subscribes && !reads) {
      out.push({
        code: 'subscribe-without-read',
        severity: 'warning',
        message: `Grant "${doc.name}" lets its subjects subscribe to resources of ${servers} but not read them, so an update notice is all they get`,
        location: doc.at(capabilities ? ['capabilities'] : ['methods']),
        hint: 'Add read-resources to the capabilities, or drop subscribe-resources.',
      });
    }
  }
  return out;
}
