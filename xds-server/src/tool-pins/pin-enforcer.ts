// Run-time tool pinning. The comparison runs where the definitions are: in the ext_proc that sees
// every tools/list answer (response-rewrite/rewrite-service.ts). A listed tool whose definition
// does not hash to its pin (or has no pin) is cut from the list, so a client never reads a changed
// description. The live hashes it saw are kept per server and tool; ext_authz asks them before a
// tools/call (authz annotation in control-plane.ts): a call to a tool whose last listed definition
// differed, that has no pin, or that no tools/list has shown since the control plane started, is
// refused (fail closed; listing the tools once verifies them for every caller).
import { memberTool, pinVerdict, type PinRefusal, type PinVerdict, type ToolPinTable } from '../../../artifacts/src/tool-pins/pin-table.ts';
import { toolHashes } from '../../../artifacts/src/tool-pins/tool-definition.ts';
import { isRecord, rewriteMessages } from '../response-rewrite/json-rpc-body.ts';

export interface PinRefusalEvent {
  readonly where: 'list' | 'call';
  readonly virtualServer: string;
  readonly server: string;
  readonly tool: string;
  readonly reason: PinRefusal;
  readonly message: string;
}

/** Most tools kept per server, so a server listing ever new names cannot grow the map without bound. */
const MAX_TOOLS_PER_SERVER = 10_000;

export class PinEnforcer {
  /** server -> tool -> sha256 of the definition last listed. */
  private readonly live = new Map<string, Map<string, string>>();

  constructor(
    private readonly table: () => ToolPinTable | undefined,
    private readonly onRefusal: (event: PinRefusalEvent) => void = () => undefined,
  ) {}

  /** The tools/list body with only the tools whose definitions pass; records every listed tool's live hash. */
  filterList(virtualServer: string, body: string): { body: string; hidden: number } {
    const table = this.table();
    if (!table) return { body, hidden: 0 };
    let hidden = 0;
    const out = rewriteMessages(body, (message) => {
      if (!isRecord(message) || !isRecord(message.result) || !Array.isArray(message.result.tools)) return undefined;
      const tools: unknown[] = message.result.tools;
      const visible = tools.filter((tool) => {
        if (!isRecord(tool) || typeof tool.name !== 'string') return false;
        const member = memberTool(table, virtualServer, tool.name);
        if (!member) return true;
        const hash = toolHashes(tool).definition;
        this.record(member.server, member.tool, hash);
        const verdict = pinVerdict(table, member.server, member.tool, hash);
        if (verdict.pass) return true;
        hidden += 1;
        this.onRefusal({ where: 'list', virtualServer, ...member, reason: verdict.reason, message: verdict.message });
        return false;
      });
      return { ...message, result: { ...message.result, tools: visible } };
    });
    return { body: out, hidden };
  }

  /** Whether a tools/call of this public tool name may go through. */
  callVerdict(virtualServer: string, publicName: string): PinVerdict {
    const table = this.table();
    if (!table) return { pass: true };
    const member = memberTool(table, virtualServer, publicName);
    if (!member) return { pass: true };
    const verdict = pinVerdict(table, member.server, member.tool, this.live.get(member.server)?.get(member.tool));
    if (!verdict.pass) this.onRefusal({ where: 'call', virtualServer, ...member, reason: verdict.reason, message: verdict.message });
    return verdict;
  }

  private record(server: string, tool: string, hash: string): void {
    let tools = this.live.get(server);
    if (!tools) {
      tools = new Map<string, string>();
      this.live.set(server, tools);
    }
    if (!tools.has(tool) && tools.size >= MAX_TOOLS_PER_SERVER) tools.clear();
    tools.set(tool, hash);
  }
}
