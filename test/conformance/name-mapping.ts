// The naming of an aggregated virtual server, undone for one member: the conformance suite calls the
// fixture server's tools, prompts and resources by their own names, and Envoy's mcp_router serves
// them as `<server>__<name>` and `<server>+<uri>` (README, "Aggregated virtual servers"). Requests
// get the member's prefix, responses lose it; the other members' entries are left out of lists, so
// the suite sees the member as the one server it expects (another member's `test_simple_text` would
// otherwise be listed twice under one name). Pure functions over parsed JSON-RPC messages.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface NameMapping {
  /** The member whose names the client uses unprefixed. */
  readonly member: string;
}

const namePrefix = (m: NameMapping) => `${m.member}__`;
const uriPrefix = (m: NameMapping) => `${m.member}+`;

/** A client message as the gateway needs it: the names it carries, prefixed. */
export function prefixRequest(message: unknown, mapping: NameMapping): unknown {
  if (!isObject(message) || typeof message.method !== 'string' || !isObject(message.params)) return message;
  const params = { ...message.params };
  const name = namePrefix(mapping);
  const uri = uriPrefix(mapping);
  switch (message.method) {
    case 'tools/call':
    case 'prompts/get':
      if (typeof params.name === 'string') params.name = name + params.name;
      break;
    case 'resources/read':
    case 'resources/subscribe':
    case 'resources/unsubscribe':
      if (typeof params.uri === 'string') params.uri = uri + params.uri;
      break;
    case 'completion/complete':
      if (isObject(params.ref)) {
        const ref = { ...params.ref };
        if (ref.type === 'ref/prompt' && typeof ref.name === 'string') ref.name = name + ref.name;
        if (ref.type === 'ref/resource' && typeof ref.uri === 'string') ref.uri = uri + ref.uri;
        params.ref = ref;
      }
      break;
    default:
      return message;
  }
  return { ...message, params };
}

/** The member's entries of a list, unprefixed; other members' entries dropped. */
function ownEntries(entries: unknown, key: string, prefix: string): unknown {
  if (!Array.isArray(entries)) return entries;
  return entries
    .filter((entry): entry is Json => isObject(entry) && typeof entry[key] === 'string' && entry[key].startsWith(prefix))
    .map((entry) => ({ ...entry, [key]: (entry[key] as string).slice(prefix.length) }));
}

const strip = (value: unknown, prefix: string) => (typeof value === 'string' && value.startsWith(prefix) ? value.slice(prefix.length) : value);

/** The gateway's answer to `method` as the client expects it: the member's names, unprefixed. */
export function unprefixResponse(message: unknown, method: string | undefined, mapping: NameMapping): unknown {
  if (!isObject(message) || !isObject(message.result)) return message;
  const result = { ...message.result };
  const name = namePrefix(mapping);
  const uri = uriPrefix(mapping);
  switch (method) {
    case 'tools/list':
      result.tools = ownEntries(result.tools, 'name', name);
      break;
    case 'prompts/list':
      result.prompts = ownEntries(result.prompts, 'name', name);
      break;
    case 'resources/list':
      result.resources = ownEntries(result.resources, 'uri', uri);
      break;
    case 'resources/templates/list':
      result.resourceTemplates = ownEntries(result.resourceTemplates, 'uriTemplate', uri);
      break;
    case 'resources/read':
      if (Array.isArray(result.contents)) {
        result.contents = result.contents.map((c: unknown) => (isObject(c) ? { ...c, uri: strip(c.uri, uri) } : c));
      }
      break;
    default:
      return message;
  }
  return { ...message, result };
}

/** The methods of a client POST body (one message or a batch) by JSON-RPC id, to map the answers. */
export function methodsById(body: unknown): Map<unknown, string> {
  const methods = new Map<unknown, string>();
  for (const message of Array.isArray(body) ? body as unknown[] : [body]) {
    if (isObject(message) && typeof message.method === 'string' && message.id !== undefined) methods.set(message.id, message.method);
  }
  return methods;
}

/** Maps one message or a batch. */
export function mapBody(body: unknown, map: (message: unknown) => unknown): unknown {
  return Array.isArray(body) ? body.map(map) : map(body);
}

/** The id of a JSON-RPC response, to find the method it answers. */
export const responseId = (message: unknown): unknown => (isObject(message) ? message.id : undefined);
