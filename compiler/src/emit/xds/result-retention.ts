// What a virtual server's tools/call route tells the processor that sees its responses: per public
// tool that keeps its results (`audit.results` digest or payload), the mode, the cap and the
// redaction paths (the gateway's, then the tool's). Empty when no tool keeps anything; the outcome of
// every call is recorded regardless.
import type { IrGateway, IrServer, IrVirtualServer } from '../../ir/types.ts';
import type { ResultRetention } from '../../../../artifacts/src/audit/result-retention.ts';

/** The default cap of a kept payload (schema/audit.ts: resultBytes). */
const DEFAULT_RESULT_BYTES = 4096;

export function resultRetentions(gateway: IrGateway, vs: IrVirtualServer, servers: ReadonlyMap<string, IrServer>): Record<string, ResultRetention> {
  const out: Record<string, ResultRetention> = {};
  for (const publicTool of [...vs.tools].sort((a, b) => (a.publicName < b.publicName ? -1 : 1))) {
    const audit = servers.get(publicTool.server)?.tools.find((t) => t.name === publicTool.tool)?.audit;
    if (!audit?.results) continue;
    out[publicTool.publicName] = {
      mode: audit.results,
      maxBytes: audit.resultBytes ?? DEFAULT_RESULT_BYTES,
      redact: [...gateway.audit.redact, ...audit.redact],
    };
  }
  return out;
}
