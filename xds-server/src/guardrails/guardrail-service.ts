// The guardrail processor: an ext_proc stream per guarded tools/call (the route switches it on;
// dispatch.ts routes it here by gRPC metadata). It inspects the arguments (request body, buffered)
// and the result (response body, streamed: an event stream event by event), blocks, redacts or
// logs as the rules say, and records every hit in dynamic metadata (GUARDRAILS_METADATA_NAMESPACE),
// which Envoy copies into the request's access-log entry and so into its audit record. Messages of
// one stream are handled strictly in order (an external detector makes handling asynchronous).
import { fromJson, toJson } from '@bufbuild/protobuf';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { envoyMessage, envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { GUARDRAIL_BLOCKED_CODE, type GuardrailHit } from '../../../artifacts/src/guardrails/guardrail-set.ts';
import { GUARDRAILS_METADATA_NAMESPACE, MCP_METADATA_NAMESPACE } from '../../../artifacts/src/metadata-names.ts';
import { header, virtualServerOfPath, type ProcessingRequestJson } from '../ext-proc/processing-request.ts';
import type { Logger } from '../log.ts';
import type { PeerAuthenticator } from '../tls/peer-identity.ts';
import { permissionDenied } from '../tls/node-claims.ts';
import { blockMessage } from './block-message.ts';
import { blocksIn, inspects, type CallGuardrails, type GuardrailEngine } from './guardrail-engine.ts';
import { inspect } from './inspect.ts';
import { errorMessage, ResultStream } from './result-stream.ts';

type Message = { $typeName: string };
type JsonRpcId = string | number | null;
type RequestBody = { body?: string; endOfStream?: boolean };

export interface GuardrailDependencies {
  engine(): GuardrailEngine | undefined;
  readonly logger: Logger;
  readonly peers?: PeerAuthenticator;
}

const request = () => envoyMessage('envoy.service.ext_proc.v3.ProcessingRequest');
const response = () => envoyMessage('envoy.service.ext_proc.v3.ProcessingResponse');
const base64 = (text: string) => Buffer.from(text).toString('base64');

export function guardrailProcess(deps: GuardrailDependencies): (call: ServerDuplexStream<Message, Message>) => void {
  return (call) => {
    const peer = deps.peers?.authenticate(call);
    if (peer?.kind === 'refused') {
      deps.logger.log('warn', 'ext_proc stream refused', { reason: peer.reason });
      call.emit('error', permissionDenied(`Gatehouse answers only authenticated Envoys: ${peer.reason}`));
      return;
    }
    const registry = envoyRegistry();
    const state = new CallState(deps);
    let queue = Promise.resolve();
    call.on('data', (message: Message) => {
      const req = toJson(request(), message as never, { registry }) as ProcessingRequestJson & { requestBody?: RequestBody };
      queue = queue
        .then(async () => {
          const out = await state.handle(req);
          call.write(fromJson(response(), out as never, { registry }));
        })
        .catch((error: unknown) => {
          deps.logger.log('error', 'guardrail processing failed', { error: error instanceof Error ? error.message : String(error) });
          call.emit('error', error);
        });
    });
    call.on('end', () => void queue.then(() => call.end()));
    call.on('error', () => undefined);
  };
}

class CallState {
  private guard: CallGuardrails | undefined;
  private virtualServer = '';
  private tool = '';
  private id: JsonRpcId = null;
  private readonly hits: GuardrailHit[] = [];
  private results: ResultStream | undefined;

  constructor(private readonly deps: GuardrailDependencies) {}

  async handle(req: ProcessingRequestJson & { requestBody?: RequestBody }): Promise<Record<string, unknown>> {
    if (req.requestHeaders) return this.requestHeaders(req);
    if (req.requestBody) return this.requestBody(req.requestBody);
    if (req.responseHeaders) return this.responseHeaders(req);
    if (req.responseBody) return this.responseBody(req.responseBody);
    return {};
  }

  private requestHeaders(req: ProcessingRequestJson): Record<string, unknown> {
    this.virtualServer = virtualServerOfPath(header(req.requestHeaders?.headers?.headers, ':path') ?? '');
    const mcp = req.metadataContext?.filterMetadata?.[MCP_METADATA_NAMESPACE] ?? {};
    const params = mcp.params as { name?: unknown } | undefined;
    this.tool = typeof params?.name === 'string' ? params.name : '';
    this.id = typeof mcp.id === 'string' || typeof mcp.id === 'number' ? mcp.id : null;
    this.guard = this.deps.engine()?.forCall(this.virtualServer, this.tool);
    return { requestHeaders: {} };
  }

  private async requestBody(body: RequestBody): Promise<Record<string, unknown>> {
    const guard = this.guard;
    if (!guard || !inspects(guard, 'arguments')) return { requestBody: {} };
    const bytes = Buffer.from(body.body ?? '', 'base64');
    if (bytes.length > guard.maxBodyBytes) {
      const block = blocksIn(guard, 'arguments');
      this.hits.push({ rule: guard.names.join(','), detector: 'oversize', action: block ? 'block' : 'log', direction: 'arguments', count: 1 });
      if (block) return this.refuse(`the arguments are larger than ${String(guard.maxBodyBytes)} bytes and cannot be inspected`);
      return { requestBody: {}, ...this.metadata() };
    }
    let message: { params?: { arguments?: unknown } } & Record<string, unknown>;
    try {
      message = JSON.parse(bytes.toString('utf8')) as typeof message;
    } catch {
      return { requestBody: {} }; // the MCP filter already refused anything that is not JSON-RPC
    }
    const args = message.params?.arguments;
    if (args === undefined) return { requestBody: {} };
    const inspection = await inspect(args, guard.rules, 'arguments');
    this.hits.push(...inspection.hits);
    this.logFailures(inspection.failures);
    if (inspection.blocked) return this.refuse(blockMessage(inspection.blocked));
    if (!inspection.redacted) return { requestBody: {}, ...this.metadata() };
    const rewritten = JSON.stringify({ ...message, params: { ...message.params, arguments: inspection.value } });
    return {
      requestBody: {
        response: {
          headerMutation: { setHeaders: [{ header: { key: 'content-length', rawValue: base64(String(Buffer.byteLength(rewritten))) } }] },
          bodyMutation: { body: base64(rewritten) },
        },
      },
      ...this.metadata(),
    };
  }

  private responseHeaders(req: ProcessingRequestJson): Record<string, unknown> {
    const guard = this.guard;
    const headers = req.responseHeaders?.headers?.headers;
    const status = Number(header(headers, ':status') ?? '200');
    if (!guard || !inspects(guard, 'results') || status !== 200) return { responseHeaders: {}, ...this.metadata() };
    const encoding = (header(headers, 'content-encoding') ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      const block = blocksIn(guard, 'results');
      const label = `content-encoding-${encoding}`;
      this.hits.push({ rule: guard.names.join(','), detector: 'oversize', label, action: block ? 'block' : 'log', direction: 'results', count: 1 });
      if (block) return this.refuse(`the result is ${encoding}-encoded and cannot be inspected`);
      return { responseHeaders: {}, ...this.metadata() };
    }
    const eventStream = (header(headers, 'content-type') ?? '').startsWith('text/event-stream');
    this.results = new ResultStream(guard, eventStream, this.id);
    return { responseHeaders: { response: { headerMutation: { removeHeaders: ['content-length'] } } }, ...this.metadata() };
  }

  private async responseBody(body: { body?: string; endOfStream?: boolean }): Promise<Record<string, unknown>> {
    const results = this.results;
    if (!results) return { responseBody: {} };
    const failuresBefore = results.failures.length;
    const out = await results.push(Buffer.from(body.body ?? '', 'base64').toString('utf8'), body.endOfStream === true);
    this.logFailures(results.failures.slice(failuresBefore));
    return { responseBody: { response: { bodyMutation: out === '' ? { clearBody: true } : { body: base64(out) } } }, ...this.metadata() };
  }

  /** The call fails with a JSON-RPC error (HTTP 200, as an MCP server's own error would). */
  private refuse(reason: string): Record<string, unknown> {
    const guard = this.guard;
    const body = guard
      ? errorMessage(this.id, reason, guard)
      : JSON.stringify({ jsonrpc: '2.0', id: this.id, error: { code: GUARDRAIL_BLOCKED_CODE, message: reason } });
    this.deps.logger.log('info', 'guardrail blocked a call', { virtual_server: this.virtualServer, tool: this.tool, reason });
    return {
      immediateResponse: {
        status: { code: 200 },
        headers: { setHeaders: [{ header: { key: 'content-type', rawValue: base64('application/json') } }] },
        body: base64(body),
      },
      ...this.metadata({ code: GUARDRAIL_BLOCKED_CODE, message: reason }),
    };
  }

  /** Every hit so far, for the access log (Envoy merges the namespace's keys, so each key holds the whole list). */
  private metadata(refusal?: { code: number; message: string }): Record<string, unknown> {
    const results = this.results?.hits ?? [];
    const error = refusal ?? this.results?.error;
    if (this.hits.length === 0 && results.length === 0 && !error) return {};
    return { dynamicMetadata: { [GUARDRAILS_METADATA_NAMESPACE]: { hits: [...this.hits, ...results], ...(error ? { error } : {}) } } };
  }

  private logFailures(failures: readonly string[]): void {
    for (const failure of failures) {
      this.deps.logger.log('warn', 'external guardrail detector failed', { virtual_server: this.virtualServer, tool: this.tool, failure });
    }
  }
}
