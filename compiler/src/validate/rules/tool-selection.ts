// Rules on tools: no duplicate tool in a server, selectors that select something, no empty or
// colliding virtual servers.
import type { Diagnostic, SourceLocation } from '../../diagnostics/diagnostic.ts';
import { closest } from '../../util/closest.ts';
import { isGlob, selectTools } from '../../util/glob.ts';
import type { RuleContext } from './context.ts';

export function toolSelection(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const servers = ctx.byName('McpServer');
  const toolNames = (server: string) => {
    const tools = servers.get(server)?.spec.tools;
    return tools ? [...new Set(tools.map((t) => t.name))] : undefined;
  };

  for (const doc of ctx.docs.McpServer) {
    const seen = new Set<string>();
    (doc.spec.tools ?? []).forEach((tool, i) => {
      if (seen.has(tool.name)) {
        out.push({
          code: 'duplicate-tool',
          severity: 'error',
          message: `McpServer "${doc.name}" lists tool "${tool.name}" twice`,
          location: doc.at(['tools', i, 'name']),
        });
      }
      seen.add(tool.name);
    });
  }

  const checkSelectors = (owner: string, server: string, selectors: readonly string[], at: (i: number) => SourceLocation) => {
    const names = toolNames(server);
    if (!names) return; // unknown server: reported by the references rule
    selectors.forEach((selector, i) => {
      if (selectTools(selector, names).length > 0) return;
      const guess = isGlob(selector) ? undefined : closest(selector, names);
      out.push({
        code: 'unknown-tool',
        severity: 'error',
        message: isGlob(selector)
          ? `${owner}: "${selector}" matches no tool of McpServer "${server}"`
          : `${owner}: McpServer "${server}" has no tool "${selector}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
        location: at(i),
        hint: `Tools of ${server}: ${names.join(', ')}.`,
      });
    });
  };
  for (const doc of ctx.docs.VirtualServer) {
    if (doc.spec.members.length === 0) {
      out.push({
        code: 'empty-virtual-server',
        severity: 'error',
        message: `VirtualServer "${doc.name}" has no members, so it would expose no tools`,
        location: doc.at(['members'], true),
        hint: 'Add at least one member (a server and the tools to expose), or delete the virtual server.',
      });
    }
    const seenServers = new Map<string, number>();
    doc.spec.members.forEach((member, i) => {
      const first = seenServers.get(member.server);
      if (first !== undefined) {
        out.push({
          code: 'tool-name-collision',
          severity: 'error',
          message: `VirtualServer "${doc.name}" lists McpServer "${member.server}" twice (members ${first} and ${i}); its tools would collide`,
          location: doc.at(['members', i, 'server']),
          hint: 'Merge the two members into one tool list.',
        });
      } else {
        seenServers.set(member.server, i);
      }
      checkSelectors(`VirtualServer "${doc.name}"`, member.server, member.tools, (j) => doc.at(['members', i, 'tools', j]));
    });
  }
  for (const doc of ctx.docs.Grant) {
    doc.spec.access.forEach((entry, i) =>
      checkSelectors(`Grant "${doc.name}"`, entry.server, entry.tools, (j) => doc.at(['access', i, 'tools', j])),
    );
  }
  return out;
}
