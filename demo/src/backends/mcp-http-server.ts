// A streamable-HTTP MCP server process for the demo and the end-to-end tests, built with the MCP
// SDK: stateful sessions, an upstream credential it insists on (as a real SaaS API would), and a
// record of the headers it received so tests can prove what Envoy forwarded.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';

export interface DemoServerOptions {
  readonly name: string;
  readonly port: number;
  readonly path?: string;
  /** The credential Envoy must inject; requests without it are refused with 401. */
  readonly credential?: { readonly header: string; readonly value: string };
  readonly register: (server: McpServer) => void;
  /**
   * A server that checks a per-caller bearer token itself (upstream identity): the verified identity, or
   * why the token is refused (401). The tools see the identity as `extra.authInfo`.
   */
  readonly authenticate?: (bearer: string | undefined) => Promise<AuthInfo | { readonly refused: string }>;
  /** Milliseconds to wait before answering each tools/call (the benchmarks' model of a tool's own latency); 0 or absent: none. */
  readonly toolCallDelayMs?: () => number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

export interface RunningDemoServer {
  readonly name: string;
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const MAX_RECORDED = 500;

export async function startDemoServer(options: DemoServerOptions): Promise<RunningDemoServer> {
  const path = options.path ?? '/mcp';
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const requests: RecordedRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if ((req.url ?? '').split('?')[0] !== path) {
      reply(res, 404, 'not found');
      return;
    }
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    requests.push({ method: req.method ?? '', headers: { ...req.headers }, body });
    if (requests.length > MAX_RECORDED) requests.shift();
    if (options.credential) {
      const got = req.headers[options.credential.header.toLowerCase()];
      if (got !== options.credential.value) {
        reply(res, 401, `missing or wrong ${options.credential.header}`);
        return;
      }
    }
    if (options.authenticate) {
      const header = req.headers.authorization;
      const verified = await options.authenticate(/^Bearer (\S+)$/.exec(header ?? '')?.[1]);
      if ('refused' in verified) {
        reply(res, 401, verified.refused);
        return;
      }
      (req as IncomingMessage & { auth?: AuthInfo }).auth = verified;
    }
    if (body === INVALID) {
      reply(res, 400, 'invalid JSON');
      return;
    }
    const delay = options.toolCallDelayMs?.() ?? 0;
    if (delay > 0 && (body as { method?: unknown } | undefined)?.method === 'tools/call') await new Promise((resolve) => setTimeout(resolve, delay));
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (!transport) {
      if (req.method !== 'POST' || !isInitializeRequest(body)) {
        if (typeof sessionId === 'string') reply(res, 404, 'unknown MCP session');
        else reply(res, 400, 'no MCP session: send initialize first');
        return;
      }
      const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void transports.set(id, created),
      });
      created.onclose = () => {
        if (created.sessionId) transports.delete(created.sessionId);
      };
      const server = new McpServer({ name: options.name, version: '1.0.0' });
      options.register(server);
      await server.connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, body);
  };

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, error instanceof Error ? error.message : String(error));
    });
  });
  http.listen(options.port, '127.0.0.1');
  await once(http, 'listening');
  const port = (http.address() as AddressInfo).port;
  return {
    name: options.name,
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    close: async () => {
      for (const t of transports.values()) await t.close().catch(() => undefined);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

const INVALID = Symbol('invalid JSON');

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return INVALID;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return INVALID;
  }
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message } }));
}
