// One MCP exchange at a chosen protocol revision, spoken as raw streamable HTTP (the SDK client
// always offers its latest revision): initialize, notifications/initialized, then a tools/call.
import { postMcp } from '../harness/stack.ts';

export interface RevisionExchange {
  /** HTTP statuses of initialize, notifications/initialized, tools/call. */
  readonly statuses: readonly number[];
  /** The revision the server agreed to. */
  readonly negotiated: unknown;
  /** The tool's text answer, when it gave one. */
  readonly answer: unknown;
}

/** A JSON-RPC message from a JSON or server-sent-event body (the last `data:` line that parses). */
export function jsonRpcOf(text: string): Record<string, unknown> | undefined {
  const candidates = text.trimStart().startsWith('{') ? [text] : text.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5));
  for (const candidate of candidates.reverse()) {
    try {
      return JSON.parse(candidate) as Record<string, unknown>;
    } catch {
      // not JSON: try the line before
    }
  }
  return undefined;
}

/** The headers every request after initialize carries at `revision` (MCP-Protocol-Version exists from 2025-06-18 on). */
function sessionHeaders(revision: string, session: string | null, auth: Record<string, string>): Record<string, string> {
  return { ...auth, ...(session ? { 'mcp-session-id': session } : {}), ...(revision >= '2025-06-18' ? { 'mcp-protocol-version': revision } : {}) };
}

export async function exchangeAt(url: string, revision: string, tool: string, auth: Record<string, string> = {}): Promise<RevisionExchange> {
  const init = await postMcp(url, JSON.stringify({
    jsonrpc: '2.0', id: 1, method: 'initialize',
    params: { protocolVersion: revision, capabilities: {}, clientInfo: { name: 'gatehouse-revisions', version: '1.0.0' } },
  }), auth);
  const negotiated = (jsonRpcOf(init.text)?.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
  const headers = sessionHeaders(revision, init.headers.get('mcp-session-id'), auth);
  const initialized = await postMcp(url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), headers);
  const call = await postMcp(url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: tool, arguments: {} } }), headers);
  const content = (jsonRpcOf(call.text)?.result as { content?: { text?: unknown }[] } | undefined)?.content;
  return { statuses: [init.status, initialized.status, call.status], negotiated, answer: content?.[0]?.text };
}
