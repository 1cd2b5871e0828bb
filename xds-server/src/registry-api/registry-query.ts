// [pure] Answers MCP Registry API v0.1 reads over a list of entries: the list with its cursor, limit,
// search and version filters, a server's versions, and one version (or `latest`). Each entry has
// one version, the current one: the control plane serves what is deployed, not a history.
import type { RegistryServerList, RegistryServerResponse } from './registry-shapes.ts';

export const REGISTRY_API_PREFIX = '/v0.1/servers';
export const DEFAULT_LIMIT = 30;
export const MAX_LIMIT = 100;

export interface RegistryAnswer {
  readonly status: number;
  readonly body: RegistryServerList | RegistryServerResponse | { readonly error: string };
}

export function isRegistryApiPath(path: string): boolean {
  return path === REGISTRY_API_PREFIX || path.startsWith(`${REGISTRY_API_PREFIX}/`);
}

const error = (status: number, message: string): RegistryAnswer => ({ status, body: { error: message } });

/** `path` as received (percent-encoded), without the query string. */
export function answerRegistryRequest(entries: readonly RegistryServerResponse[], path: string, query: URLSearchParams): RegistryAnswer {
  const rest = path.slice(REGISTRY_API_PREFIX.length).replace(/^\//, '');
  if (rest === '') return listServers(entries, query);
  const match = /^(.+)\/versions(?:\/([^/]+))?\/?$/.exec(rest);
  if (!match?.[1]) {
    return error(404, `not found: ${path}; the API has ${REGISTRY_API_PREFIX}, ${REGISTRY_API_PREFIX}/{serverName}/versions and ` +
      `${REGISTRY_API_PREFIX}/{serverName}/versions/{version|latest}, with the server name URL-encoded`);
  }
  let name: string;
  let version: string | undefined;
  try {
    name = decodeURIComponent(match[1]);
    version = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  } catch {
    return error(400, `the path ${path} is not valid percent-encoding`);
  }
  const entry = entries.find((e) => e.server.name === name);
  if (!entry) return error(404, `server not found: ${name} (GET ${REGISTRY_API_PREFIX} lists the servers this registry has)`);
  if (version === undefined) return { status: 200, body: { servers: [entry], metadata: { count: 1 } } };
  if (version !== 'latest' && version !== entry.server.version) {
    return error(404, `version not found: ${name} has only version ${entry.server.version} (or ask for "latest")`);
  }
  return { status: 200, body: entry };
}

function listServers(entries: readonly RegistryServerResponse[], query: URLSearchParams): RegistryAnswer {
  const limitText = query.get('limit');
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1) return error(400, `limit must be a whole number from 1 (got "${limitText ?? ''}")`);
  const updatedSince = query.get('updated_since');
  // No entry records when it changed: every one is returned, which is what an incremental reader needs to be correct.
  if (updatedSince !== null && Number.isNaN(Date.parse(updatedSince))) return error(400, `updated_since must be an RFC 3339 time (got "${updatedSince}")`);
  const search = query.get('search')?.toLowerCase();
  const version = query.get('version');
  const after = decodeCursor(query.get('cursor'));
  if (after === null) return error(400, 'cursor is not one this registry returned: use metadata.nextCursor as given');
  const matching = entries.filter(
    (e) =>
      (search === undefined || e.server.name.toLowerCase().includes(search)) &&
      (version === null || version === 'latest' || version === e.server.version) &&
      (after === undefined || e.server.name > after),
  );
  const page = matching.slice(0, Math.min(limit, MAX_LIMIT));
  const last = page.at(-1);
  const more = matching.length > page.length && last !== undefined;
  return { status: 200, body: { servers: page, metadata: { count: page.length, ...(more ? { nextCursor: encodeCursor(last.server.name) } : {}) } } };
}

/** Cursors are opaque to clients: the last name returned, base64url-encoded. */
export function encodeCursor(name: string): string {
  return Buffer.from(name, 'utf8').toString('base64url');
}

/** undefined: no cursor; null: not a cursor this registry made. */
function decodeCursor(cursor: string | null): string | undefined | null {
  if (cursor === null || cursor === '') return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const name = Buffer.from(cursor, 'base64url').toString('utf8');
  return name.includes('/') ? name : null;
}
