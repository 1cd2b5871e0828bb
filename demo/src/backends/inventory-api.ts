// The demo's warehouse inventory: a plain REST service (no MCP) that apis/inventory.openapi.yaml
// describes, offered as MCP tools through Envoy's mcp_json_rest_bridge. It insists on the credential
// the gateway injects and records each request (method, path, headers, body) so tests can prove what
// the bridge sent.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest, RunningDemoServer } from './mcp-http-server.ts';

export interface RecordedRestRequest extends RecordedRequest {
  /** The path and query the service received. */
  readonly url: string;
}

export interface RunningRestServer extends RunningDemoServer {
  readonly requests: RecordedRestRequest[];
}

interface Item {
  readonly sku: string;
  readonly name: string;
  readonly category: 'hardware' | 'software' | 'furniture';
  inStock: number;
}

const MAX_BODY = 64 * 1024;
const MAX_RECORDED = 500;

export async function startInventoryApi(options: {
  readonly port: number;
  readonly basePath?: string;
  readonly credential?: { readonly header: string; readonly value: string };
}): Promise<RunningRestServer> {
  const base = `${(options.basePath ?? '').replace(/\/+$/, '')}/api/v1`;
  const items: Item[] = [
    { sku: 'HW-100', name: 'Laptop dock', category: 'hardware', inStock: 12 },
    { sku: 'HW-200', name: 'Headset', category: 'hardware', inStock: 40 },
    { sku: 'FU-300', name: 'Standing desk', category: 'furniture', inStock: 3 },
  ];
  let reservations = 0;
  const requests: RecordedRestRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://inventory.invalid');
    const body = await readBody(req);
    requests.push({ method: req.method ?? '', url: `${url.pathname}${url.search}`, headers: { ...req.headers }, body });
    if (requests.length > MAX_RECORDED) requests.shift();
    if (options.credential && req.headers[options.credential.header.toLowerCase()] !== options.credential.value) {
      send(res, 401, { error: `missing or wrong ${options.credential.header}` });
      return;
    }
    const path = url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length) : undefined;
    const match = path === undefined ? undefined : /^\/items(?:\/([^/]+)(\/reservations)?)?$/.exec(path);
    if (!match) {
      send(res, 404, { error: 'no such resource' });
      return;
    }
    const sku = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    const item = sku === undefined ? undefined : items.find((i) => i.sku === sku);
    if (sku === undefined && req.method === 'GET') {
      const category = url.searchParams.get('category');
      const limit = Number(url.searchParams.get('limit') ?? items.length);
      send(res, 200, items.filter((i) => category === null || i.category === category).slice(0, limit));
    } else if (!item) {
      send(res, 404, { error: `no item ${sku ?? ''}` });
    } else if (!match[2] && req.method === 'GET') {
      send(res, 200, item);
    } else if (match[2] && req.method === 'POST') {
      const quantity = typeof body === 'object' && body !== null && 'quantity' in body ? Number(body.quantity) : NaN;
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > item.inStock) {
        send(res, 409, { error: `cannot reserve ${String(quantity)} of ${item.sku} (${item.inStock} in stock)` });
        return;
      }
      item.inStock -= quantity;
      reservations += 1;
      send(res, 201, { id: `R-${reservations}`, sku: item.sku, quantity });
    } else {
      send(res, 405, { error: 'method not allowed' });
    }
  };

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  http.listen(options.port, '127.0.0.1');
  await once(http, 'listening');
  const port = (http.address() as AddressInfo).port;
  return {
    name: 'inventory',
    url: `http://127.0.0.1:${port}${base}`,
    requests,
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}
