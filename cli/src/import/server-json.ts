// [pure] Reads a server.json (the MCP Registry's server format) as given to `gatehouse import`: a bare
// server.json, a registry answer for one version ({ server, _meta }), or a list holding exactly one.
// Only what the import uses is read; anything malformed is a readable reason, never an exception.

export interface ServerJsonInput {
  readonly value: unknown;
  /** Registry metadata beside the server (a registry answer's `_meta`), if any. */
  readonly registryMeta: Readonly<Record<string, unknown>>;
}

export interface RemoteHeader {
  readonly name: string;
  readonly value?: string;
  readonly description?: string;
  readonly isSecret: boolean;
}

export interface Remote {
  readonly type: string;
  readonly url: string;
  readonly headers: readonly RemoteHeader[];
  /** Template variables of the URL, with their default or fixed value where the file gives one. */
  readonly variables: Readonly<Record<string, string | undefined>>;
}

export interface ServerJson {
  readonly name: string;
  readonly description: string;
  readonly version?: string;
  readonly remotes: readonly Remote[];
  /** `registryType:identifier` of each package (servers a client runs itself). */
  readonly packages: readonly string[];
  /** The server's own `_meta` merged with the registry's. */
  readonly meta: Readonly<Record<string, unknown>>;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

type Obj = Readonly<Record<string, unknown>>;
const isObject = (value: unknown): value is Obj => value !== null && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** Unwraps a registry answer or a one-entry list down to the server.json in it. */
export function unwrapServerJson(document: unknown): Parsed<ServerJsonInput> {
  if (!isObject(document)) return { ok: false, error: 'it is not a JSON object (a server.json has "name", "description" and "remotes")' };
  const servers = document['servers'];
  if (Array.isArray(servers)) {
    if (servers.length !== 1) {
      return { ok: false, error: `it is a registry list of ${String(servers.length)} servers: import one (GET /v0.1/servers/{name}/versions/latest)` };
    }
    return unwrapServerJson(servers[0]);
  }
  const server = document['server'];
  if (isObject(server)) return { ok: true, value: { value: server, registryMeta: isObject(document['_meta']) ? document['_meta'] : {} } };
  return { ok: true, value: { value: document, registryMeta: {} } };
}

export function parseServerJson(input: ServerJsonInput): Parsed<ServerJson> {
  const { value } = input;
  if (!isObject(value)) return { ok: false, error: 'the server entry is not a JSON object' };
  const name = text(value['name']);
  if (name === undefined) return { ok: false, error: 'it has no "name" (a server.json names its server as reverse.dns/name)' };
  const description = text(value['description']) ?? text(value['title']);
  if (description === undefined) return { ok: false, error: `${name} has no "description"` };
  const remotes: Remote[] = [];
  const rawRemotes = value['remotes'] ?? [];
  if (!Array.isArray(rawRemotes)) return { ok: false, error: `${name}: "remotes" is not a list` };
  for (const [index, remote] of rawRemotes.entries()) {
    const parsed = parseRemote(remote);
    if (!parsed.ok) return { ok: false, error: `${name}: remotes[${String(index)}] ${parsed.error}` };
    remotes.push(parsed.value);
  }
  const packages = (Array.isArray(value['packages']) ? value['packages'] : [])
    .filter(isObject)
    .map((p) => `${text(p['registryType']) ?? text(p['registry_name']) ?? 'package'}:${text(p['identifier']) ?? text(p['name']) ?? '?'}`);
  const version = text(value['version']);
  const meta = { ...(isObject(value['_meta']) ? value['_meta'] : {}), ...input.registryMeta };
  return { ok: true, value: { name, description, ...(version === undefined ? {} : { version }), remotes, packages, meta } };
}

function parseRemote(remote: unknown): Parsed<Remote> {
  if (!isObject(remote)) return { ok: false, error: 'is not an object' };
  const type = text(remote['type']);
  const url = text(remote['url']);
  if (type === undefined || url === undefined) return { ok: false, error: 'needs a "type" and a "url"' };
  const headers: RemoteHeader[] = [];
  for (const header of Array.isArray(remote['headers']) ? remote['headers'] : []) {
    const headerName = isObject(header) ? text(header['name']) : undefined;
    if (!isObject(header) || headerName === undefined) return { ok: false, error: 'has a header without a "name"' };
    const headerValue = text(header['value']);
    const description = text(header['description']);
    headers.push({
      name: headerName,
      ...(headerValue === undefined ? {} : { value: headerValue }),
      ...(description === undefined ? {} : { description }),
      isSecret: header['isSecret'] === true,
    });
  }
  const variables: Record<string, string | undefined> = {};
  if (isObject(remote['variables'])) {
    for (const [key, variable] of Object.entries(remote['variables'])) {
      variables[key] = isObject(variable) ? (text(variable['value']) ?? text(variable['default'])) : undefined;
    }
  }
  return { ok: true, value: { type, url, headers, variables } };
}
