// Points a finding about access at the grant that gives it: the tool selector in the grant of the
// subject (or of every authenticated user) that selects the tool.
import type { SourceLocation } from '../../../compiler/src/diagnostics/diagnostic.ts';
import type { Ir } from '../../../compiler/src/ir/types.ts';
import { AUTHENTICATED } from '../access/subjects.ts';
import { selectTools } from '../../../compiler/src/util/glob.ts';
import type { RegistryLocator } from './registry-locator.ts';

/** The selector that gives `subject` the tool `server/tool` (any tool of the server when tool is undefined). */
export function grantLocation(ir: Ir, locate: RegistryLocator, subject: string, server: string, tool?: string): SourceLocation | undefined {
  const holders = [subject, AUTHENTICATED];
  for (const holder of holders) {
    for (const grant of ir.grants) {
      if (!grant.subjects.includes(holder)) continue;
      for (const [i, access] of grant.access.entries()) {
        if (access.server !== server || (tool !== undefined && !access.tools.includes(tool))) continue;
        const j = tool === undefined ? 0 : access.selectors.findIndex((s) => selectTools(s, [tool]).length > 0);
        return locate.at('Grant', grant.name, ['access', i, 'tools', Math.max(j, 0)]) ?? access.source;
      }
    }
  }
  return undefined;
}
