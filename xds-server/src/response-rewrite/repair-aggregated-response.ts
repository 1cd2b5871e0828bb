// Corrections to what Envoy 1.40's mcp_router answers on an aggregated virtual server, so that
// clients see one conformant MCP server:
// - `prompts/get`, `resources/read` and `completion/complete` come back as a member's event stream
//   relabelled `application/json`: the JSON-RPC response is taken out of the stream;
// - a request it cannot route (an unprefixed prompt name or completion ref, an unknown member)
//   gets a `text/plain` HTTP 400: it becomes a JSON-RPC error the client can read;
// - `initialize` declares fixed capabilities: they are replaced by what the members declare in
//   the registry, less what mcp_router cannot carry (compiled into the route);
// - `resources/read` returns the contents under the member's own URI: they get the
//   `<server>+` prefix back, so they match the URI the client asked for.
import { eventStreamData, isEventStream, isRecord, isResponse, type JsonRpcId } from './json-rpc-body.ts';

export interface AggregatedExchange {
  /** The JSON-RPC method and id of the request, as Envoy's MCP filter parsed them. */
  readonly method: string;
  readonly id: JsonRpcId;
  /** params.uri of a resources/read. */
  readonly uri?: string;
  /** The capabilities the virtual server declares (absent: leave initialize as it is). */
  readonly capabilities?: Readonly<Record<string, unknown>>;
}

export interface HttpResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export type Repair = 'event-stream-labelled-json' | 'plain-text-error' | 'fixed-capabilities' | 'unprefixed-resource-uri';

/** JSON-RPC error codes: invalid params (a name or ref that names no member), internal error. */
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;

const NAMING: Readonly<Record<string, string>> = {
  'prompts/get': 'prompts are named <server>__<prompt>',
  'resources/read': 'resource URIs are written <server>+<uri>',
  'completion/complete': 'a completion ref names a prompt as <server>__<prompt> or a resource as <server>+<uri>',
};

export function jsonRpcError(id: JsonRpcId, code: number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } });
}

/** The response as a conformant server would send it, and which corrections that took (none: unchanged). */
export function repairAggregatedResponse(exchange: AggregatedExchange, response: HttpResponse): HttpResponse & { repairs: Repair[] } {
  if (response.status >= 400 && response.contentType.startsWith('text/plain')) {
    const naming = NAMING[exchange.method];
    const message = response.status < 500 && naming ? `${response.body.trim()} (on an aggregated virtual server, ${naming})` : response.body.trim();
    const code = response.status < 500 ? INVALID_PARAMS : INTERNAL_ERROR;
    return { status: 200, contentType: 'application/json', body: jsonRpcError(exchange.id, code, message), repairs: ['plain-text-error'] };
  }
  if (!response.contentType.startsWith('application/json')) return { ...response, repairs: [] };
  if (isEventStream(response.body)) {
    const answer = eventStreamData(response.body)
      .map((data) => parse(data))
      .find((message) => isResponse(message) && (exchange.id === null || message.id === exchange.id));
    if (answer !== undefined) return withFixes(exchange, { ...response, body: JSON.stringify(answer) }, ['event-stream-labelled-json']);
  }
  return withFixes(exchange, response, []);
}

function withFixes(exchange: AggregatedExchange, response: HttpResponse, repairs: Repair[]): HttpResponse & { repairs: Repair[] } {
  return exchange.method === 'resources/read' ? withPrefixedUris(exchange, response, repairs) : withInitialize(exchange, response, repairs);
}

/** The `<server>+` of an aggregated resource URI (`atlas+file:///a` → `atlas+`), if it has one. */
function memberPrefix(uri: string): string | undefined {
  const plus = uri.indexOf('+');
  const scheme = uri.indexOf('://');
  return plus > 0 && (scheme < 0 || plus < scheme) ? uri.slice(0, plus + 1) : undefined;
}

function withPrefixedUris(exchange: AggregatedExchange, response: HttpResponse, repairs: Repair[]): HttpResponse & { repairs: Repair[] } {
  const prefix = exchange.uri === undefined ? undefined : memberPrefix(exchange.uri);
  const message = parse(response.body);
  if (!prefix || !isResponse(message) || !isRecord(message.result) || !Array.isArray(message.result.contents)) return { ...response, repairs };
  const contents: unknown[] = message.result.contents;
  const unprefixed = (item: unknown): item is Record<string, unknown> & { uri: string } =>
    isRecord(item) && typeof item.uri === 'string' && !item.uri.startsWith(prefix);
  if (!contents.some(unprefixed)) return { ...response, repairs };
  const prefixed = contents.map((item) => (unprefixed(item) ? { ...item, uri: `${prefix}${item.uri}` } : item));
  const body = JSON.stringify({ ...message, result: { ...message.result, contents: prefixed } });
  return { ...response, body, repairs: [...repairs, 'unprefixed-resource-uri'] };
}

function withInitialize(exchange: AggregatedExchange, response: HttpResponse, repairs: Repair[]): HttpResponse & { repairs: Repair[] } {
  if (exchange.method !== 'initialize' || !exchange.capabilities) return { ...response, repairs };
  const message = parse(response.body);
  if (!isResponse(message) || !isRecord(message.result)) return { ...response, repairs };
  if (JSON.stringify(message.result.capabilities) === JSON.stringify(exchange.capabilities)) return { ...response, repairs };
  const body = JSON.stringify({ ...message, result: { ...message.result, capabilities: exchange.capabilities } });
  return { ...response, body, repairs: [...repairs, 'fixed-capabilities'] };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
