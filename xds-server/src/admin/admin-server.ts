// The admin HTTP endpoint: /healthz, /readyz, /status (JSON) and /metrics (Prometheus text).
import { createServer, type Server } from 'node:http';
import type { Metrics } from './metrics.ts';

export interface AdminSources {
  ready(): boolean;
  status(): unknown;
  readonly metrics: Metrics;
}

export function createAdminServer(sources: AdminSources): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'text/plain', 'method not allowed\n');
      return;
    }
    switch (path) {
      case '/healthz':
        send(200, 'text/plain', 'ok\n');
        break;
      case '/readyz':
        if (sources.ready()) send(200, 'text/plain', 'ready\n');
        else send(503, 'text/plain', 'no artifacts loaded yet\n');
        break;
      case '/status':
        send(200, 'application/json', `${JSON.stringify(sources.status(), null, 2)}\n`);
        break;
      case '/metrics':
        sources.metrics.registry
          .metrics()
          .then((text) => {
            send(200, sources.metrics.registry.contentType, text);
          })
          .catch((error: unknown) => {
            send(500, 'text/plain', `${String(error)}\n`);
          });
        break;
      default:
        send(404, 'text/plain', 'not found: try /healthz, /readyz, /status or /metrics\n');
    }
  });
}
