// The ext_proc service (envoy.service.ext_proc.v3.ExternalProcessor/Process) behind the routes
// that switch response rewriting on. The route says which rewrite it wants (gRPC metadata):
// - a `tools/list` (any virtual server): the list is cut to the tools the policy's tools
//   entrypoint says the caller may call, and schemas mcp_router broke are repaired. Without a
//   policy or a verified caller it fails closed: the client gets an error, not the full list.
// - `aggregated`: what Envoy's mcp_router answers on an aggregated virtual server is corrected
//   into what a conformant MCP server would answer (repair-aggregated-response.ts), and the
//   methods it cannot carry are refused with a reason.
// - `aggregated-call`: a tools/call on an aggregated virtual server, streamed: the member's requests
//   to the client inside its event stream get ids mcp_router can route the answers by
//   (prefix-server-requests.ts), so sampling, elicitation and roots work; and how the call ended
//   is recorded for the audit (ResultRecorder; Envoy takes it only where the route asks).
import { fromJson, toJson } from '@bufbuild/protobuf';
import type { Metadata, ServerDuplexStream, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { envoyMessage, envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import type { PolicyEngine } from '../../../artifacts/src/policy/engine.ts';
import type { Logger } from '../log.ts';
import { method } from '../proto/messages.ts';
import { filterToolsList } from './filter-tools-list.ts';
import { contentCodings, decodeBody, unsupportedCoding } from './content-encoding.ts';
import {
  JWT_METADATA_NAMESPACE,
  JWT_PAYLOAD_KEY,
  MCP_METADATA_NAMESPACE,
  REWRITE_CAPABILITIES_HEADER,
  RESULT_RETENTION_HEADER,
  REWRITE_ROLE_HEADER,
} from '../../../artifacts/src/metadata-names.ts';
import { parseResultRetentions } from '../../../artifacts/src/audit/result-retention.ts';
import { ResultRecorder } from '../audit/result-recorder.ts';
import { isRecord, type JsonRpcId } from './json-rpc-body.ts';
import { jsonRpcError, repairAggregatedResponse } from './repair-aggregated-response.ts';
import { repairToolSchemas } from './repair-tool-schemas.ts';
import { ServerRequestPrefixer } from './prefix-server-requests.ts';
import { ToolsCache } from './tools-cache.ts';
import type { PinEnforcer } from '../tool-pins/pin-enforcer.ts';
import { header, virtualServerOfPath, type ProcessingRequestJson } from '../ext-proc/processing-request.ts';

type Message = { $typeName: string };

const request = () => envoyMessage('envoy.service.ext_proc.v3.ProcessingRequest');
const response = () => envoyMessage('envoy.service.ext_proc.v3.ProcessingResponse');

export const RESPONSE_REWRITE_SERVICE: ServiceDefinition = {
  Process: method<Message, Message>('/envoy.service.ext_proc.v3.ExternalProcessor/Process', request, response, {
    requestStream: true,
    responseStream: true,
  }),
};

export interface ResponseRewriteDependencies {
  engine(): PolicyEngine | undefined;
  readonly logger: Logger;
  /** Tool pinning: listed tools whose definitions are not the pinned ones are cut (tool-pins/). */
  readonly pins?: PinEnforcer;
}

/** Methods an aggregated virtual server refuses at the gateway: mcp_router cannot deliver what they ask for. */
const REFUSED_WHEN_AGGREGATED: Readonly<Record<string, string>> = {
  'resources/subscribe':
    'resources/subscribe is not available on an aggregated virtual server: Envoy\'s mcp_router has no standalone GET event stream, ' +
    'so notifications/resources/updated could never reach the client',
  'resources/unsubscribe': 'resources/unsubscribe is not available on an aggregated virtual server (no standalone GET event stream)',
};
const METHOD_NOT_FOUND = -32601;

export function responseRewriteImplementation(deps: ResponseRewriteDependencies): UntypedServiceImplementation {
  const registry = envoyRegistry();
  const cache = new ToolsCache();
  return {
    Process: (call: ServerDuplexStream<Message, Message>) => {
      const role = metadataValue(call.metadata, REWRITE_ROLE_HEADER);
      if (role === 'aggregated-call') {
        streamToolCall(call, deps.logger);
        return;
      }
      const aggregated = role === 'aggregated';
      const capabilities = aggregated ? parseCapabilities(metadataValue(call.metadata, REWRITE_CAPABILITIES_HEADER)) : undefined;
      let virtualServer = '';
      let claims: Record<string, unknown> | undefined;
      let mcp: ReturnType<typeof mcpRequest> = { method: '', id: null };
      let status = 200;
      let contentType = '';
      let codings: string[] = [];
      // A denial (ext_authz's local reply) passes through this filter without its request ever
      // reaching it: that response is the denial itself, not a list, and goes out unchanged.
      let sawRequest = false;
      const send = (json: Record<string, unknown>) => call.write(fromJson(response(), json as never, { registry }));
      call.on('data', (message: Message) => {
        const req = toJson(request(), message as never, { registry }) as ProcessingRequestJson;
        if (req.requestHeaders) {
          sawRequest = true;
          const path = header(req.requestHeaders.headers?.headers, ':path') ?? '';
          virtualServer = virtualServerOfPath(path);
          const metadata = req.metadataContext?.filterMetadata;
          claims = metadata?.[JWT_METADATA_NAMESPACE]?.[JWT_PAYLOAD_KEY] as Record<string, unknown> | undefined;
          mcp = mcpRequest(metadata?.[MCP_METADATA_NAMESPACE]);
          const refusal = aggregated ? REFUSED_WHEN_AGGREGATED[mcp.method] : undefined;
          if (refusal) send(immediate(200, jsonRpcError(mcp.id, METHOD_NOT_FOUND, `${refusal} (virtual server ${virtualServer})`)));
          else send({ requestHeaders: {} });
        } else if (req.responseHeaders) {
          const headers = req.responseHeaders.headers?.headers;
          status = Number(header(headers, ':status') ?? '200');
          contentType = header(headers, 'content-type') ?? '';
          codings = sawRequest ? contentCodings(header(headers, 'content-encoding')) : [];
          const unreadable = unsupportedCoding(codings);
          if (unreadable !== undefined) {
            deps.logger.log('error', 'response encoding cannot be read; refused', { virtual_server: virtualServer, content_encoding: unreadable });
            send(immediate(502, jsonRpcError(mcp.id, -32000, `the server's response uses Content-Encoding ${unreadable}, which the gateway cannot read`)));
            return;
          }
          // The body is about to change: the upstream's content-length no longer holds, and a
          // compressed body goes out decoded.
          const removeHeaders = codings.length > 0 ? ['content-length', 'content-encoding'] : ['content-length'];
          send({ responseHeaders: { response: { headerMutation: { removeHeaders } } } });
        } else if (req.responseBody && !sawRequest) {
          send({ responseBody: {} });
        } else if (req.responseBody) {
          const decoded = decodeBody(Buffer.from(req.responseBody.body ?? '', 'base64'), codings);
          if (!decoded.ok) {
            deps.logger.log('error', 'response body cannot be decoded; refused', { virtual_server: virtualServer, reason: decoded.reason });
            send(immediate(502, jsonRpcError(mcp.id, -32000, decoded.reason)));
            return;
          }
          const body = decoded.body;
          if (aggregated) {
            const repaired = repairAggregatedResponse({ ...mcp, ...(capabilities ? { capabilities } : {}) }, { status, contentType, body });
            if (repaired.repairs.length > 0) {
              const fields = { virtual_server: virtualServer, method: mcp.method, repairs: repaired.repairs.join(',') };
              deps.logger.log('debug', 'mcp_router response repaired', fields);
            }
            if (repaired.status !== status) send(immediate(repaired.status, repaired.body));
            else send(bodyResponse(repaired.body));
            return;
          }
          const engine = deps.engine();
          if (!engine || !claims || !virtualServer) {
            deps.logger.log('error', 'tools/list cannot be filtered; refused', { virtual_server: virtualServer, policy: engine ? 'loaded' : 'none' });
            send(immediate(503, jsonRpcError(null, -32000, 'the tool list cannot be filtered for this caller right now')));
            return;
          }
          const schemas = repairToolSchemas(body);
          if (schemas.repaired > 0) {
            const fields = { virtual_server: virtualServer, method: 'tools/list', repairs: `null-schema x${String(schemas.repaired)}` };
            deps.logger.log('debug', 'mcp_router response repaired', fields);
          }
          const pinned = deps.pins ? deps.pins.filterList(virtualServer, schemas.body).body : schemas.body;
          const filtered = filterToolsList(pinned, cache.allowed(engine, claims, virtualServer));
          send(bodyResponse(filtered.body));
        } else {
          send({});
        }
      });
      call.on('end', () => call.end());
      call.on('error', () => undefined);
    },
  };
}

function metadataValue(metadata: Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === 'string' ? value : undefined;
}

function parseCapabilities(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The method and id Envoy's MCP filter parsed from the request body. */
function mcpRequest(metadata: Record<string, unknown> | undefined): { method: string; id: JsonRpcId; uri?: string; name?: string } {
  const method = typeof metadata?.method === 'string' ? metadata.method : '';
  const id = metadata?.id;
  const params = isRecord(metadata?.params) ? metadata.params : {};
  return {
    method,
    id: typeof id === 'string' || typeof id === 'number' ? id : null,
    ...(typeof params.uri === 'string' ? { uri: params.uri } : {}),
    ...(typeof params.name === 'string' ? { name: params.name } : {}),
  };
}

/** A tools/call on an aggregated virtual server, its response body streamed chunk by chunk. */
function streamToolCall(call: ServerDuplexStream<Message, Message>, logger: Logger): void {
  const registry = envoyRegistry();
  const send = (json: Record<string, unknown>) => call.write(fromJson(response(), json as never, { registry }));
  let prefixer: ServerRequestPrefixer | undefined;
  let member = '';
  let virtualServer = '';
  let mcp: ReturnType<typeof mcpRequest> = { method: '', id: null };
  let recorder: ResultRecorder | undefined;
  const retentions = parseResultRetentions(metadataValue(call.metadata, RESULT_RETENTION_HEADER));
  call.on('data', (message: Message) => {
    const req = toJson(request(), message as never, { registry }) as ProcessingRequestJson;
    if (req.requestHeaders) {
      virtualServer = virtualServerOfPath(header(req.requestHeaders.headers?.headers, ':path') ?? '');
      mcp = mcpRequest(req.metadataContext?.filterMetadata?.[MCP_METADATA_NAMESPACE]);
      const name = mcp.name ?? '';
      member = name.includes('__') ? name.slice(0, name.indexOf('__')) : '';
      send({ requestHeaders: {} });
    } else if (req.responseHeaders) {
      const headers = req.responseHeaders.headers?.headers;
      const eventStream = (header(headers, 'content-type') ?? '').startsWith('text/event-stream');
      prefixer = eventStream && member ? new ServerRequestPrefixer(member) : undefined;
      const readable = header(headers, ':status') === '200' && contentCodings(header(headers, 'content-encoding')).length === 0;
      recorder = readable ? new ResultRecorder(mcp.id, retentions[mcp.name ?? '']) : undefined;
      send({ responseHeaders: prefixer ? { response: { headerMutation: { removeHeaders: ['content-length'] } } } : {} });
    } else if (req.responseBody) {
      if (!prefixer) {
        recorder?.push(Buffer.from(req.responseBody.body ?? '', 'base64'));
        send({ responseBody: {}, ...recorder?.takeMetadata() });
        return;
      }
      const before = prefixer.prefixed;
      const out = prefixer.push(Buffer.from(req.responseBody.body ?? '', 'base64').toString('utf8'), req.responseBody.endOfStream === true);
      if (prefixer.prefixed > before) {
        const fields = { virtual_server: virtualServer, method: 'tools/call', member, repairs: 'unprefixed-server-request' };
        logger.log('debug', 'mcp_router response repaired', fields);
      }
      recorder?.push(Buffer.from(out));
      send({ responseBody: { response: { bodyMutation: out === '' ? { clearBody: true } : { body: base64(out) } } }, ...recorder?.takeMetadata() });
    } else {
      send({});
    }
  });
  call.on('end', () => call.end());
  call.on('error', () => undefined);
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

function bodyResponse(body: string): Record<string, unknown> {
  return { responseBody: { response: { bodyMutation: { body: base64(body) } } } };
}

function immediate(status: number, body: string): Record<string, unknown> {
  return {
    immediateResponse: {
      status: { code: status },
      headers: { setHeaders: [{ header: { key: 'content-type', rawValue: base64('application/json') } }] },
      body: base64(body),
    },
  };
}
