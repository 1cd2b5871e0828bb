// The MCP Registry API v0.1 on the admin listener, so that editors and assistants reading an
// organisation's registry (VS Code's MCP gallery, Copilot's enterprise registry) discover exactly
// the governed endpoints. Who may read it: with mode `admin` (the default), whoever may read /status;
// with `public`, anyone who reaches the listener, without the admin token (editors send none).
// The entries are recomputed only when another artifact set is loaded.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkAdminRequest, type AdminAccess } from '../admin/admin-access.ts';
import { registryEntries, type RegistryNaming, type RegistrySource } from './registry-entries.ts';
import { answerRegistryRequest, isRegistryApiPath } from './registry-query.ts';
import type { RegistryServerResponse } from './registry-shapes.ts';

/** `off`: not served; `admin`: behind the admin endpoint's access; `public`: open to anyone who reaches the listener. */
export const REGISTRY_API_MODES = ['admin', 'public', 'off'] as const;
export type RegistryApiMode = (typeof REGISTRY_API_MODES)[number];

export interface RegistryApiOptions {
  readonly mode: Exclude<RegistryApiMode, 'off'>;
  /** The admin endpoint's access (admin mode); absent: anyone, as for /status. */
  readonly access?: AdminAccess;
  /** What the loaded artifact set says; undefined before one loads. */
  readonly source: () => RegistrySource | undefined;
  readonly naming?: RegistryNaming;
}

export interface RegistryApi {
  /** `path` without its query string. */
  handles(path: string | undefined): boolean;
  /** Answers the request; returns the ended response. */
  serve(req: IncomingMessage, res: ServerResponse): ServerResponse;
}

const REFUSALS = {
  'no-token': [401, 'the registry API is behind the admin token: send Authorization: Bearer <token>, or serve it with --registry-api public'],
  'wrong-token': [401, 'the bearer token is not the admin token'],
  closed: [403, 'closed: the admin endpoint is not bound to loopback and no --admin-token-file was given (or serve with --registry-api public)'],
} as const;

export function registryApi(options: RegistryApiOptions): RegistryApi {
  let cached: { readonly source: RegistrySource; readonly entries: readonly RegistryServerResponse[] } | undefined;
  const entries = (source: RegistrySource) => {
    if (cached?.source !== source) cached = { source, entries: registryEntries(source, options.naming) };
    return cached.entries;
  };
  return {
    handles: (path) => path !== undefined && isRegistryApiPath(path),
    serve(req, res) {
      const send = (status: number, body: unknown) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
        if (options.mode === 'public') headers['access-control-allow-origin'] = '*';
        if (status === 401) headers['www-authenticate'] = 'Bearer realm="gatehouse-admin"';
        return res.writeHead(status, headers).end(`${JSON.stringify(body, null, 2)}\n`);
      };
      const verdict = options.mode === 'admin' && options.access ? checkAdminRequest(req, options.access) : 'allowed';
      if (verdict !== 'allowed') {
        const [status, message] = REFUSALS[verdict];
        return send(status, { error: message });
      }
      const source = options.source();
      if (!source) return send(503, { error: 'no artifacts loaded yet' });
      const url = new URL(req.url ?? '/', 'http://registry.invalid');
      const answer = answerRegistryRequest(entries(source), url.pathname, url.searchParams);
      return send(answer.status, answer.body);
    },
  };
}
