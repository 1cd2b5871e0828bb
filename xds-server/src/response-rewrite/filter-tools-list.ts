// Rewrites a tools/list response so that it lists only the tools a caller may call. The response
// is JSON, or server-sent events (streamable HTTP) whose data lines carry JSON-RPC messages.
import { isRecord, rewriteMessages } from './json-rpc-body.ts';

function isNamedTool(tool: unknown): tool is { name: string } {
  return isRecord(tool) && typeof tool.name === 'string';
}

/** The body with the tool lists filtered; `kept`/`removed` count tools across all messages. */
export function filterToolsList(body: string, allowed: ReadonlySet<string>): { body: string; kept: number; removed: number } {
  let kept = 0;
  let removed = 0;
  const filtered = rewriteMessages(body, (message) => {
    if (!isRecord(message) || !isRecord(message.result) || !Array.isArray(message.result.tools)) return undefined;
    const tools: unknown[] = message.result.tools;
    const visible = tools.filter((tool) => isNamedTool(tool) && allowed.has(tool.name));
    kept += visible.length;
    removed += tools.length - visible.length;
    return { ...message, result: { ...message.result, tools: visible } };
  });
  return { body: filtered, kept, removed };
}
