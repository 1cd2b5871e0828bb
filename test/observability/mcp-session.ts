// A minimal MCP client over raw HTTP for tests that must know every request the gateway sees:
// initialize, notifications/initialized, then tools/call, nothing else (no event stream).
import { postMcp } from '../harness/stack.ts';

/** A JSON-RPC reply (`raw` when the body was not JSON). */
export interface JsonRpcReply {
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string };
  readonly raw?: string;
}

export interface McpSession {
  call(name: string, args: unknown, meta?: Record<string, string>): Promise<{ status: number; body: JsonRpcReply }>;
}

const CLIENT_INFO = { name: 'gatehouse-observability', version: '1.0.0' };

export async function openSession(url: string, token: string | undefined, headers: Record<string, string> = {}): Promise<McpSession> {
  const auth = { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const init = await postMcp(
    url,
    JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: CLIENT_INFO } }),
    auth,
  );
  if (init.status !== 200) throw new Error(`initialize: HTTP ${init.status} ${init.text}`);
  const session = { ...auth, 'mcp-session-id': init.headers.get('mcp-session-id') ?? '', 'mcp-protocol-version': '2025-06-18' };
  await postMcp(url, '{"jsonrpc":"2.0","method":"notifications/initialized"}', session);
  let id = 1;
  return {
    call: async (name, args, meta) => {
      const params = { name, arguments: args, ...(meta ? { _meta: meta } : {}) };
      const res = await postMcp(url, JSON.stringify({ jsonrpc: '2.0', id: id++, method: 'tools/call', params }), session);
      return { status: res.status, body: parseReply(res.text) };
    },
  };
}

/** A JSON-RPC reply sent as JSON or as one server-sent event. */
export function parseReply(text: string): JsonRpcReply {
  const data = text.split('\n').find((l) => l.startsWith('data: '));
  try {
    return JSON.parse(data ? data.slice(6) : text) as JsonRpcReply;
  } catch {
    return { raw: text };
  }
}
