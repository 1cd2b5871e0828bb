// The call a result belongs to, from the MCP filter's metadata (forwarded to the processor): its
// JSON-RPC id (to pick its response out of an event stream) and its public tool name (to look up
// what the audit keeps of the result).
import type { JsonRpcId } from '../response-rewrite/json-rpc-body.ts';

export interface RecordedCall {
  readonly id: JsonRpcId;
  /** The tool's name as the client called it; '' when the metadata has none. */
  readonly tool: string;
}

export function callOf(mcp: Record<string, unknown> | undefined): RecordedCall {
  const id = mcp?.id;
  const params = mcp?.params as { name?: unknown } | undefined;
  return { id: typeof id === 'string' || typeof id === 'number' ? id : null, tool: typeof params?.name === 'string' ? params.name : '' };
}
