// Raw streamable-HTTP MCP messages for end-to-end tests that need what an SDK client hides: the session id on the wire,
// another caller's session, a bare GET or DELETE.
import { postMcp, type TestStack } from './stack.ts';

export const PROTOCOL = '2025-06-18';
export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'gatehouse-e2e', version: '1' } },
});
export const INITIALIZED = '{"jsonrpc":"2.0","method":"notifications/initialized"}';

/** A tools/call request (id 2). */
export const toolCall = (name: string, args: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: args } });

/** A caller's request headers, with the session id when there is one. */
export const mcpHeaders = (token: string, session?: string) => ({
  authorization: `Bearer ${token}`,
  'mcp-protocol-version': PROTOCOL,
  ...(session === undefined ? {} : { 'mcp-session-id': session }),
});

/** Opens a session on a virtual server (initialize, then initialized); returns the session id the client was given. */
export async function openRawSession(stack: TestStack, vs: string, token: string): Promise<string> {
  const res = await postMcp(stack.endpoint(vs), INITIALIZE, mcpHeaders(token));
  const id = res.headers.get('mcp-session-id');
  if (res.status !== 200 || id === null) throw new Error(`initialize on ${vs}: HTTP ${String(res.status)}, session id ${String(id)}: ${res.text}`);
  const initialized = await postMcp(stack.endpoint(vs), INITIALIZED, mcpHeaders(token, id));
  if (initialized.status !== 202) throw new Error(`notifications/initialized on ${vs}: HTTP ${String(initialized.status)}: ${initialized.text}`);
  return id;
}
