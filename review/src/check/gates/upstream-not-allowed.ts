// Gate upstream-not-allowed: an MCP server whose upstream host, or whose region, is outside the
// CheckSettings allow lists (globs; an empty list allows anything). Points at the URL or the region.
import { skipped, type Gate, type GateFinding } from '../gate.ts';

export const upstreamNotAllowed: Gate = {
  code: 'upstream-not-allowed',
  run(facts) {
    const ir = facts.head.ir;
    if (!ir) return skipped('the head registry has errors');
    const { allowedHosts, allowedRegions } = facts.settings;
    const where = facts.settings.source ? ` (${facts.settings.source.file}:${facts.settings.source.line})` : '';
    const findings: GateFinding[] = [];
    for (const server of ir.servers) {
      if (allowedHosts.length > 0 && !allowedHosts.some((glob) => matches(glob, server.upstream.host.toLowerCase()))) {
        findings.push({
          message: `McpServer "${server.name}" upstream host ${server.upstream.host} is not an allowed host (${allowedHosts.join(', ')})`,
          location: facts.locate.at('McpServer', server.name, ['upstream', 'url']) ?? server.source,
          hint: `Point the upstream at an allowed host, or add the host to CheckSettings upstreams.allowedHosts${where}.`,
        });
      }
      if (allowedRegions.length > 0 && !allowedRegions.some((glob) => matches(glob, server.region))) {
        findings.push({
          message: `McpServer "${server.name}" runs in region ${server.region}, which is not an allowed region (${allowedRegions.join(', ')})`,
          location: facts.locate.at('McpServer', server.name, ['region']) ?? server.source,
          hint: `Run the server in an allowed region, or add the region to CheckSettings upstreams.allowedRegions${where}.`,
        });
      }
    }
    return { findings };
  },
};

/** A glob where `*` matches any run of characters, compared case-insensitively. */
export function matches(glob: string, value: string): boolean {
  const pattern = glob
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(value.toLowerCase());
}
