// Rewrites a tools/list response so that it lists only the tools a caller may call. The response
// is JSON, or server-sent events (streamable HTTP) whose data lines carry JSON-RPC messages.

/** A JSON-RPC result as the upstream sent it: any element of `tools` may be malformed. */
type ToolsResult = { result?: { tools?: unknown } };

function isNamedTool(tool: unknown): tool is { name: string } {
  return typeof tool === 'object' && tool !== null && typeof (tool as { name?: unknown }).name === 'string';
}

/** The body with the tool lists filtered; `kept`/`removed` count tools across all messages. */
export function filterToolsList(body: string, contentType: string, allowed: ReadonlySet<string>): { body: string; kept: number; removed: number } {
  let kept = 0;
  let removed = 0;
  const filterMessage = (text: string): string => {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return text;
    }
    const tools = (message as ToolsResult).result?.tools;
    if (!Array.isArray(tools)) return text;
    const visible = tools.filter((tool) => isNamedTool(tool) && allowed.has(tool.name));
    kept += visible.length;
    removed += tools.length - visible.length;
    return JSON.stringify({ ...(message as object), result: { ...(message as Required<ToolsResult>).result, tools: visible } });
  };
  if (contentType.startsWith('text/event-stream')) {
    const lines = body.split('\n').map((line) => (line.startsWith('data:') ? `data: ${filterMessage(line.slice(5).trimStart())}` : line));
    return { body: lines.join('\n'), kept, removed };
  }
  return { body: filterMessage(body), kept, removed };
}
