// The JSON-RPC messages of an MCP response body: plain JSON, or server-sent events (streamable
// HTTP) whose `data:` lines each carry one message.

/** True when the body is framed as server-sent events, whatever its content-type says. */
export function isEventStream(body: string): boolean {
  const first = body.trimStart().split('\n', 1)[0] ?? '';
  return /^(event|data|id|retry):/.test(first) || first.startsWith(':');
}

/** The payloads of the `data:` lines, in order. */
export function eventStreamData(body: string): string[] {
  return body.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart());
}

/**
 * The body with each JSON-RPC message passed through `rewrite` (which returns the message
 * unchanged, or undefined to leave its text as it was). Unparseable text is left alone.
 */
export function rewriteMessages(body: string, rewrite: (message: unknown) => unknown): string {
  const rewriteText = (text: string): string => {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return text;
    }
    const out = rewrite(message);
    return out === undefined ? text : JSON.stringify(out);
  };
  if (!isEventStream(body)) return rewriteText(body);
  return body
    .split('\n')
    .map((line) => (line.startsWith('data:') ? `data: ${rewriteText(line.slice(5).trimStart())}` : line))
    .join('\n');
}

export type JsonRpcId = string | number | null;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON-RPC response (a result or an error, no method). */
export function isResponse(message: unknown): message is Record<string, unknown> & { id: JsonRpcId } {
  return isRecord(message) && !('method' in message) && ('result' in message || 'error' in message);
}
