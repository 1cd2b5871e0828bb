// A test-only HTTP proxy in front of the gateway that adds a bearer token: the conformance CLI has
// no option for request headers (0.1.16: `server --url` only), and the gateway rightly refuses
// anonymous callers. It binds 127.0.0.1, lives only as long as the test, and adds one token the
// test minted for one team. A Host naming the proxy becomes the gateway's own authority (as a DNS
// name pointing at the gateway would); any other Host (a rebinding attempt) is passed on unchanged,
// so the gateway's Host check is what the suite's DNS-rebinding scenario exercises.
// With a name mapping (an aggregated virtual server), POST bodies get one member's prefix and the
// answers, JSON or event stream (event by event, as they arrive), lose it (name-mapping.ts).
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mapBody, methodsById, prefixRequest, responseId, unprefixResponse, type NameMapping } from './name-mapping.ts';

export interface BearerProxy {
  readonly url: (path: string) => string;
  close(): Promise<void>;
}

export async function startBearerProxy(gatewayUrl: string, token: string, mapping?: NameMapping): Promise<BearerProxy> {
  const gateway = new URL(gatewayUrl);
  let ownAuthority = '';
  const server = createServer((req, res) => {
    const headers: IncomingHttpHeaders = { ...req.headers, authorization: `Bearer ${token}` };
    if (headers.host === ownAuthority) headers.host = gateway.host;
    const forward = (body?: Buffer, methods = new Map<unknown, string>()) => {
      if (body !== undefined) headers['content-length'] = String(body.length);
      const upstream = httpRequest({ host: gateway.hostname, port: gateway.port, method: req.method, path: req.url, headers }, (answer) => {
        if (mapping === undefined) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        } else {
          relayMapped(answer, res, (message) => unprefixResponse(message, methods.get(responseId(message)), mapping));
        }
      });
      upstream.on('error', (error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`bearer proxy: ${error.message}`);
      });
      if (body === undefined) req.pipe(upstream);
      else upstream.end(body);
    };
    if (mapping === undefined || req.method !== 'POST') {
      forward();
      return;
    }
    void readAll(req).then((raw) => {
      const parsed = parseJson(raw.toString('utf8'));
      if (parsed === undefined) {
        forward(raw);
        return;
      }
      forward(Buffer.from(JSON.stringify(mapBody(parsed, (m) => prefixRequest(m, mapping)))), methodsById(parsed));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  ownAuthority = `127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return {
    url: (path) => `http://${ownAuthority}${path}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    },
  };
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Relays an answer with each JSON-RPC message mapped: a JSON body whole, an event stream event by event. */
function relayMapped(answer: IncomingMessage, res: ServerResponse, map: (message: unknown) => unknown): void {
  const type = answer.headers['content-type'] ?? '';
  const headers = { ...answer.headers };
  delete headers['content-length'];
  if (type.startsWith('application/json')) {
    void readAll(answer).then((raw) => {
      const parsed = parseJson(raw.toString('utf8'));
      res.writeHead(answer.statusCode ?? 502, headers);
      res.end(parsed === undefined ? raw : JSON.stringify(mapBody(parsed, map)));
    });
    return;
  }
  if (!type.startsWith('text/event-stream')) {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
    return;
  }
  res.writeHead(answer.statusCode ?? 502, headers);
  res.flushHeaders();
  res.on('close', () => { answer.destroy(); });
  let pending = '';
  answer.setEncoding('utf8');
  answer.on('data', (chunk: string) => {
    pending += chunk;
    const events = pending.split(/\r?\n\r?\n/);
    pending = events.pop() ?? '';
    for (const event of events) res.write(`${mapEvent(event, map)}\n\n`);
  });
  answer.on('end', () => { res.end(pending); });
  answer.on('error', () => { res.destroy(); });
}

/** One server-sent event with its single `data:` line's JSON-RPC message mapped; anything else unchanged. */
function mapEvent(event: string, map: (message: unknown) => unknown): string {
  const lines = event.split(/\r?\n/);
  const data = lines.filter((line) => line.startsWith('data:'));
  if (data.length !== 1) return event;
  const parsed = parseJson(data[0]!.slice('data:'.length).trim());
  if (parsed === undefined) return event;
  return lines.map((line) => (line.startsWith('data:') ? `data: ${JSON.stringify(mapBody(parsed, map))}` : line)).join('\n');
}
