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
import {
  GUARDRAILS_METADATA_NAMESPACE, MCP_METADATA_NAMESPACE, RESULT_RETENTION_HEADER, RESULTS_METADATA_NAMESPACE,
} from '../../../artifacts/src/metadata-names.ts';
import { parseResultRetentions, type ResultRetentions } from '../../../artifacts/src/audit/result-retention.ts';
import { ResultRecorder } from '../audit/result-recorder.ts';
import { header, virtualServerOfPath, type ProcessingRequestJson } from '../ext-proc/processing-request.ts';
import type { Logger } from '../log.ts';
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
}

const request = () => envoyMessage('envoy.service.ext_proc.v3.ProcessingRequest');
const response = () => envoyMessage('envoy.service.ext_proc.v3.ProcessingResponse');
const base64 = (text: string) => Buffer.from(text).toString('base64');

export function guardrailProcess(deps: GuardrailDependencies): (call: ServerDuplexStream<Message, Message>) => void {
  return (call) => {
    const registry = envoyRegistry();
    const retentions = call.metadata.get(RESULT_RETENTION_HEADER)[0];
    const state = new CallState(deps, parseResultRetentions(typeof retentions === 'string' ? retentions : undefined));
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
  /** The audit's view of the result: what the client gets, after the guardrails (so never what they redacted or blocked). */
  private recorder: ResultRecorder | undefined;

  constructor(
    private readonly deps: GuardrailDependencies,
    private readonly retentions: ResultRetentions = {},
  ) {}

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
    const encoding = (header(headers, 'content-encoding') ?? 'identity').toLowerCase();
    if (status === 200 && encoding === 'identity') this.recorder = new ResultRecorder(this.id, this.retentions[this.tool]);
    if (!guard || !inspects(guard, 'results') || status !== 200) return { responseHeaders: {}, ...this.metadata() };
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
    const end = body.endOfStream === true;
    if (!results) {
      this.recorder?.push(Buffer.from(body.body ?? '', 'base64'));
      return { responseBody: {}, ...this.metadata() };
    }
    const failuresBefore = results.failures.length;
    const out = await results.push(Buffer.from(body.body ?? '', 'base64').toString('utf8'), end);
    this.logFailures(results.failures.slice(failuresBefore));
    this.recorder?.push(Buffer.from(out));
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

  /**
   * Every hit so far, for the access log (Envoy merges the namespace's keys, so each key holds the
   * whole list); once the call's response has passed, how the call ended and what the audit keeps of
   * it; on a refusal, that the call ended with the refusal's JSON-RPC error.
   */
  private metadata(refusal?: { code: number; message: string }): Record<string, unknown> {
    const results = this.results?.hits ?? [];
    const error = refusal ?? this.results?.error;
    const recorded = refusal ? undefined : this.recorder?.takeFields();
    const outcome = refusal
      ? { [RESULTS_METADATA_NAMESPACE]: { outcome: 'jsonrpc_error', error: refusal } }
      : recorded ? { [RESULTS_METADATA_NAMESPACE]: recorded } : {};
    const guardrails = this.hits.length === 0 && results.length === 0 && !error
      ? {}
      : { [GUARDRAILS_METADATA_NAMESPACE]: { hits: [...this.hits, ...results], ...(error ? { error } : {}) } };
    const metadata = { ...guardrails, ...outcome };
    return Object.keys(metadata).length === 0 ? {} : { dynamicMetadata: metadata };
  }

  private logFailures(failures: readonly string[]): void {
    for (const failure of failures) {
      this.deps.logger.log('warn', 'external guardrail detector failed', { virtual_server: this.virtualServer, tool: this.tool, failure });
    }
  }
}
