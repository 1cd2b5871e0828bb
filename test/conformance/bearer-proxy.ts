// A test-only HTTP proxy in front of the gateway that adds a bearer token: the conformance CLI has
// no option for request headers (0.1.16: `server --url` only), and the gateway rightly refuses
// anonymous callers. It binds 127.0.0.1, lives only as long as the test, and adds one token the
// test minted for one team. A Host naming the proxy becomes the gateway's own authority (as a DNS
// name pointing at the gateway would); any other Host (a rebinding attempt) is passed on unchanged,
// so the gateway's Host check is what the suite's DNS-rebinding scenario exercises.
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BearerProxy {
  readonly url: (path: string) => string;
  close(): Promise<void>;
}

export async function startBearerProxy(gatewayUrl: string, token: string): Promise<BearerProxy> {
  const gateway = new URL(gatewayUrl);
  let ownAuthority = '';
  const server = createServer((req, res) => {
    const headers: IncomingHttpHeaders = { ...req.headers, authorization: `Bearer ${token}` };
    if (headers.host === ownAuthority) headers.host = gateway.host;
    const upstream = httpRequest(
      { host: gateway.hostname, port: gateway.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`bearer proxy: ${error.message}`);
    });
    req.pipe(upstream);
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
