// A minimal MCP client over raw HTTP for tests that must know every request the gateway sees:
// initialize, notifications/initialized, then tools/call, nothing else (no event stream).
import { postMcp } from '../harness/stack.ts';

export interface McpSession {
  call(name: string, args: unknown, meta?: Record<string, string>): Promise<{ status: number; body: Record<string, any> }>;
}

export async function openSession(url: string, token: string | undefined, headers: Record<string, string> = {}): Promise<McpSession> {
  const auth = { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const init = await postMcp(
    url,
    JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'gatehouse-observability', version: '1.0.0' } } }),
    auth,
  );
  if (init.status !== 200) throw new Error(`initialize: HTTP ${init.status} ${init.text}`);
  const session = { ...auth, 'mcp-session-id': init.headers.get('mcp-session-id') ?? '', 'mcp-protocol-version': '2025-06-18' };
  await postMcp(url, '{"jsonrpc":"2.0","method":"notifications/initialized"}', session);
  let id = 1;
  return {
    call: async (name, args, meta) => {
      const res = await postMcp(url, JSON.stringify({ jsonrpc: '2.0', id: id++, method: 'tools/call', params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) } }), session);
      return { status: res.status, body: parseReply(res.text) };
    },
  };
}

/** A JSON-RPC reply sent as JSON or as one server-sent event. */
export function parseReply(text: string): Record<string, any> {
  const data = text.split('\n').find((l) => l.startsWith('data: '));
  try {
    return JSON.parse(data ? data.slice(6) : text) as Record<string, any>;
  } catch {
    return { raw: text };
  }
}
