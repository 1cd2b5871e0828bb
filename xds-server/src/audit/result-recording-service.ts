// The result recorder: an ext_proc stream per tools/call of a tool that keeps its results, on a
// route where no other processor sees the response (dispatch.ts routes it here by gRPC metadata;
// compiler/src/emit/xds/http-filters.ts recordResultsOn; the calls of other tools are read by
// Envoy's call-outcome script, compiler/src/emit/xds/call-outcome-lua.ts). It changes nothing: it answers each body chunk at once, unchanged (the route
// does not send it the response headers; a processor that gets them records 200s only), and once
// the call's response has passed gives Envoy the dynamic metadata (gatehouse.results) that the
// request's access-log entry, and so its audit record, carries: how the call ended and what the
// tool's `audit.results` keeps of the result (ResultRecorder).
import { fromJson, toJson } from '@bufbuild/protobuf';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { envoyMessage, envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { parseResultRetentions } from '../../../artifacts/src/audit/result-retention.ts';
import { MCP_METADATA_NAMESPACE, RESULT_RETENTION_HEADER } from '../../../artifacts/src/metadata-names.ts';
import { header, type ProcessingRequestJson } from '../ext-proc/processing-request.ts';
import { ResultRecorder } from './result-recorder.ts';
import { callOf } from './recorded-call.ts';

type Message = { $typeName: string };

export function resultRecordingProcess(): (call: ServerDuplexStream<Message, Message>) => void {
  const registry = envoyRegistry();
  const request = () => envoyMessage('envoy.service.ext_proc.v3.ProcessingRequest');
  const response = () => envoyMessage('envoy.service.ext_proc.v3.ProcessingResponse');
  return (call) => {
    const value = call.metadata.get(RESULT_RETENTION_HEADER)[0];
    const retentions = parseResultRetentions(typeof value === 'string' ? value : undefined);
    const send = (json: Record<string, unknown>) => call.write(fromJson(response(), json as never, { registry }));
    let recorder: ResultRecorder | undefined;
    let sawHeaders = false;
    const recorderFor = (req: ProcessingRequestJson) => {
      const mcp = callOf(req.metadataContext?.filterMetadata?.[MCP_METADATA_NAMESPACE]);
      return new ResultRecorder(mcp.id, retentions[mcp.tool]);
    };
    call.on('data', (message: Message) => {
      const req = toJson(request(), message as never, { registry }) as ProcessingRequestJson;
      if (req.responseHeaders) {
        // Only a 200 carries a JSON-RPC response; an HTTP error is recorded by its status.
        sawHeaders = true;
        const status = Number(header(req.responseHeaders.headers?.headers, ':status') ?? '200');
        recorder = status === 200 ? recorderFor(req) : undefined;
        send({ responseHeaders: {} });
      } else if (req.responseBody) {
        // A route that does not send the response headers: the first body message carries the metadata.
        if (!sawHeaders && !recorder) recorder = recorderFor(req);
        recorder?.push(Buffer.from(req.responseBody.body ?? '', 'base64'));
        send({ responseBody: {}, ...recorder?.takeMetadata() });
      } else if ((req as { requestHeaders?: unknown }).requestHeaders) {
        send({ requestHeaders: {} });
      } else {
        send({});
      }
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  };
}
