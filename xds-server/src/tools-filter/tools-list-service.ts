// The ext_proc service (envoy.service.ext_proc.v3.ExternalProcessor/Process) behind the
// `tools/list` routes: it learns the caller (verified JWT claims) and the virtual server from the
// request, then rewrites the response to the tools the policy's tools entrypoint says the caller
// may call. Without a policy or a verified caller it fails closed: the client gets an error, not
// the full list.
import { fromJson, toJson } from '@bufbuild/protobuf';
import type { ServerDuplexStream, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { envoyMessage, envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { type PolicyEngine, TOOLS_ENTRYPOINT, type ToolsResult } from '../../../artifacts/src/policy/engine.ts';
import type { Logger } from '../log.ts';
import { method } from '../proto/messages.ts';
import { filterToolsList } from './filter-tools-list.ts';
import { JWT_METADATA_NAMESPACE, JWT_PAYLOAD_KEY } from '../../../artifacts/src/metadata-names.ts';
import type { PeerAuthenticator } from '../tls/peer-identity.ts';
import { permissionDenied } from '../tls/node-claims.ts';

type Message = { $typeName: string };

const request = () => envoyMessage('envoy.service.ext_proc.v3.ProcessingRequest');
const response = () => envoyMessage('envoy.service.ext_proc.v3.ProcessingResponse');

export const TOOLS_LIST_SERVICE: ServiceDefinition = {
  Process: method<Message, Message>('/envoy.service.ext_proc.v3.ExternalProcessor/Process', request, response, {
    requestStream: true,
    responseStream: true,
  }),
};

export interface ToolsListDependencies {
  engine(): PolicyEngine | undefined;
  readonly logger: Logger;
  /** mTLS: only authenticated Envoy nodes are served. Absent: plaintext. */
  readonly peers?: PeerAuthenticator;
}

type Header = { key: string; value?: string; rawValue?: string };
type ProcessingRequestJson = {
  requestHeaders?: { headers?: { headers?: Header[] } };
  responseHeaders?: { headers?: { headers?: Header[] } };
  responseBody?: { body?: string; endOfStream?: boolean };
  metadataContext?: { filterMetadata?: Record<string, Record<string, unknown>> };
};

export function toolsListImplementation(deps: ToolsListDependencies): UntypedServiceImplementation {
  const registry = envoyRegistry();
  const cache = new ToolsCache();
  return {
    Process: (call: ServerDuplexStream<Message, Message>) => {
      const peer = deps.peers?.authenticate(call);
      if (peer?.kind === 'refused') {
        deps.logger.log('warn', 'ext_proc stream refused', { reason: peer.reason });
        call.emit('error', permissionDenied(`Gatehouse answers only authenticated Envoys: ${peer.reason}`));
        return;
      }
      let virtualServer = '';
      let claims: Record<string, unknown> | undefined;
      let contentType = '';
      // A denial (ext_authz's local reply) passes through this filter without its request ever
      // reaching it: that response is the denial itself, not a list, and goes out unchanged.
      let sawRequest = false;
      const send = (json: Record<string, unknown>) => call.write(fromJson(response(), json as never, { registry }));
      call.on('data', (message: Message) => {
        const req = toJson(request(), message as never, { registry }) as ProcessingRequestJson;
        if (req.requestHeaders) {
          sawRequest = true;
          const path = header(req.requestHeaders.headers?.headers, ':path') ?? '';
          virtualServer = /^\/mcp\/([a-z0-9-]+)/.exec(path)?.[1] ?? '';
          claims = req.metadataContext?.filterMetadata?.[JWT_METADATA_NAMESPACE]?.[JWT_PAYLOAD_KEY] as Record<string, unknown> | undefined;
          send({ requestHeaders: {} });
        } else if (req.responseHeaders) {
          contentType = header(req.responseHeaders.headers?.headers, 'content-type') ?? '';
          // The list is about to shrink: the upstream's content-length no longer holds.
          send({ responseHeaders: { response: { headerMutation: { removeHeaders: ['content-length'] } } } });
        } else if (req.responseBody && !sawRequest) {
          send({ responseBody: {} });
        } else if (req.responseBody) {
          const engine = deps.engine();
          if (!engine || !claims || !virtualServer) {
            deps.logger.log('error', 'tools/list cannot be filtered; refused', { virtual_server: virtualServer, policy: engine ? 'loaded' : 'none' });
            send(refusal());
            return;
          }
          const allowed = cache.allowed(engine, claims, virtualServer);
          const body = Buffer.from(req.responseBody.body ?? '', 'base64').toString('utf8');
          const filtered = filterToolsList(body, contentType, allowed);
          send({ responseBody: { response: { bodyMutation: { body: Buffer.from(filtered.body).toString('base64') } } } });
        } else {
          send({});
        }
      });
      call.on('end', () => call.end());
      call.on('error', () => undefined);
    },
  };
}

function header(headers: Header[] | undefined, name: string): string | undefined {
  const found = headers?.find((h) => h.key === name);
  if (!found) return undefined;
  return found.value ?? (found.rawValue !== undefined ? Buffer.from(found.rawValue, 'base64').toString('utf8') : undefined);
}

function refusal(): Record<string, unknown> {
  return {
    immediateResponse: {
      status: { code: 503 },
      headers: { setHeaders: [{ header: { key: 'content-type', rawValue: Buffer.from('application/json').toString('base64') } }] },
      body: Buffer.from(
        JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'the tool list cannot be filtered for this caller right now' } }),
      ).toString('base64'),
    },
  };
}

/** The public tool names each caller may call, per virtual server: one tools-entrypoint evaluation per caller and policy. */
class ToolsCache {
  private engine?: PolicyEngine;
  private readonly entries = new Map<string, ToolsResult>();
  private static readonly LIMIT = 10_000;

  allowed(engine: PolicyEngine, claims: Record<string, unknown>, virtualServer: string): ReadonlySet<string> {
    if (engine !== this.engine) {
      this.engine = engine;
      this.entries.clear();
    }
    const key = JSON.stringify(claims);
    let result = this.entries.get(key);
    if (!result) {
      const evaluated = engine.evaluate(TOOLS_ENTRYPOINT, { jwt: { claims } }) as ToolsResult | undefined;
      result = evaluated ?? { principals: [], teams: [], virtual_servers: {}, servers: {} };
      if (this.entries.size >= ToolsCache.LIMIT) this.entries.clear();
      this.entries.set(key, result);
    }
    return new Set(result.virtual_servers[virtualServer] ?? []);
  }
}
