// The admin HTTP endpoint: /healthz, /readyz, /status (JSON) and /metrics (Prometheus text).
// /status and /metrics are protected (admin-access.ts); health and readiness are open to probes.
import { createServer, type Server } from 'node:http';
import { checkAdminRequest, type AdminAccess } from './admin-access.ts';
import type { Metrics } from './metrics.ts';
import type { RegistryApi } from '../registry-api/registry-api.ts';
import { CATALOG_PATH, sendCatalog } from '../catalog/catalog-endpoint.ts';

export interface AdminSources {
  ready(): boolean;
  status(): unknown;
  readonly metrics: Metrics;
  /** Who may read /status and /metrics; absent: anyone (a listener on loopback). */
  readonly access?: AdminAccess;
  /** The MCP Registry API under /v0.1/servers (registry-api/), which checks access itself; absent: not served. */
  readonly registryApi?: RegistryApi;
  /** The catalog page's HTML (xds-server/src/catalog/), served at /catalog behind the same access as /status. */
  readonly catalog?: () => Promise<string>;
}

const REFUSALS = {
  'no-token': [401, 'a bearer token is required: Authorization: Bearer <token from --admin-token-file>\n'],
  'wrong-token': [401, 'the bearer token is not the admin token\n'],
  closed: [403, 'closed: the admin endpoint is not bound to loopback and no --admin-token-file was given\n'],
} as const;

export function createAdminServer(sources: AdminSources): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') return send(200, 'text/plain', 'ok\n');
    if (path === '/readyz') return sources.ready() ? send(200, 'text/plain', 'ready\n') : send(503, 'text/plain', 'no artifacts loaded yet\n');
    if (sources.registryApi?.handles(path)) return sources.registryApi.serve(req, res);
    const catalog = path === CATALOG_PATH ? sources.catalog : undefined;
    if (path !== '/status' && path !== '/metrics' && !catalog) return send(404, 'text/plain', 'not found: try /healthz, /readyz, /status or /metrics\n');
    const verdict = sources.access ? checkAdminRequest(req, sources.access) : 'allowed';
    if (verdict !== 'allowed') {
      const [status, body] = REFUSALS[verdict];
      if (status === 401) res.setHeader('www-authenticate', 'Bearer realm="gatehouse-admin"');
      return send(status, 'text/plain', body);
    }
    if (catalog) {
      void catalog().then((html) => sendCatalog(res, html)).catch((error: unknown) => send(500, 'text/plain', `${String(error)}\n`));
      return;
    }
    if (path === '/status') return send(200, 'application/json', `${JSON.stringify(sources.status(), null, 2)}\n`);
    sources.metrics.registry
      .metrics()
      .then((text) => send(200, sources.metrics.registry.contentType, text))
      .catch((error: unknown) => send(500, 'text/plain', `${String(error)}\n`));
  });
}
