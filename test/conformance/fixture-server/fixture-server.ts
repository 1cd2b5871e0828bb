// Gatehouse's conformance fixture server: the MCP server that the MCP conformance suite
// (@modelcontextprotocol/conformance, `conformance server`) expects to test, with the test_* tools, test://
// resources and test_* prompts its scenarios call. Written for Gatehouse on the MCP TypeScript SDK, so the
// suite can run against it directly and through Gatehouse's data path.
//
// Run: PORT=3000 node --import tsx test/conformance/fixture-server/fixture-server.ts
// Binds 127.0.0.1 only; prints "MCP endpoint http://127.0.0.1:PORT/mcp" when ready; exits on SIGTERM/SIGINT.
// Requests must name localhost, 127.0.0.1 or [::1] in Host (and Origin, if sent); ALLOWED_HOSTS (comma-separated
// hostnames) adds names, for a proxy in front that forwards another Host.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { isAllowedOrigin, LOCAL_HOSTNAMES, readJsonBody } from './http.ts';
import { openSession } from './session.ts';

const MAX_SESSIONS = 100;
const EXTRA_HOSTNAMES = (process.env.ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
const ALLOWED_HOSTNAMES = new Set([...LOCAL_HOSTNAMES, ...EXTRA_HOSTNAMES]);
const sessions = new Map<string, StreamableHTTPServerTransport>();

function reject(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function newSession(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
  // Sessions are only closed by DELETE, which many clients never send: keep the newest MAX_SESSIONS.
  const oldest = sessions.keys().next();
  if (sessions.size >= MAX_SESSIONS && oldest.done !== true) await sessions.get(oldest.value)?.close();
  const transport = await openSession({
    onInitialized: (id, t) => sessions.set(id, t),
    onClosed: (id) => sessions.delete(id),
  });
  await transport.handleRequest(req, res, body);
}

async function handleMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const sessionId = req.headers['mcp-session-id'];
  const transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
  if (req.method === 'POST') {
    const body = await readJsonBody(req);
    if (body === undefined) reject(res, 400, 'Bad request: the body must be JSON of at most 1 MiB');
    else if (transport !== undefined) await transport.handleRequest(req, res, body);
    else if (sessionId !== undefined) reject(res, 404, 'Session not found');
    else if (isInitializeRequest(body)) await newSession(req, res, body);
    else reject(res, 400, 'Bad request: no session; send initialize first');
  } else if (req.method === 'GET' || req.method === 'DELETE') {
    if (transport !== undefined) await transport.handleRequest(req, res);
    else if (sessionId === undefined) reject(res, 400, 'Bad request: missing Mcp-Session-Id');
    else reject(res, 404, 'Session not found');
  } else {
    res.setHeader('allow', 'GET, POST, DELETE');
    reject(res, 405, 'Method not allowed');
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/mcp') reject(res, 404, 'Not found: the MCP endpoint is /mcp');
  // DNS rebinding protection: a page on another site must not reach this local server through the browser.
  else if (!isAllowedOrigin(req, ALLOWED_HOSTNAMES)) reject(res, 403, `Forbidden: Host and Origin must name one of ${[...ALLOWED_HOSTNAMES].join(', ')}`);
  else await handleMcp(req, res);
}

const httpServer = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error('fixture server: request failed:', error);
    if (!res.headersSent) reject(res, 500, 'Internal server error');
    else res.end();
  });
});

async function shutdown(): Promise<void> {
  await Promise.allSettled([...sessions.values()].map((t) => t.close()));
  httpServer.closeAllConnections();
  httpServer.close(() => process.exit(0));
}

process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  console.log(`Gatehouse conformance fixture server: MCP endpoint http://127.0.0.1:${String(port)}/mcp`);
});
