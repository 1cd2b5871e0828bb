import { EventEmitter } from 'node:events';
import { fromJson, toJson } from '@bufbuild/protobuf';
import { Metadata, type ServerDuplexStream } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { envoyMessage, envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { RESULT_RETENTION_HEADER, RESULTS_METADATA_NAMESPACE } from '../../../artifacts/src/metadata-names.ts';
import { resultRecordingProcess } from './result-recording-service.ts';

type Message = { $typeName: string };
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** One ext_proc stream: the messages Envoy would send, and the answers the recorder wrote, in protobuf JSON. */
function stream(requests: Record<string, unknown>[], retentions?: Record<string, unknown>): Record<string, unknown>[] {
  const registry = envoyRegistry();
  const answers: Record<string, unknown>[] = [];
  const metadata = new Metadata();
  if (retentions) metadata.set(RESULT_RETENTION_HEADER, JSON.stringify(retentions));
  const call = Object.assign(new EventEmitter(), {
    metadata,
    write: (message: Message) => answers.push(toJson(envoyMessage('envoy.service.ext_proc.v3.ProcessingResponse'), message as never, { registry }) as never),
    end: () => undefined,
  });
  resultRecordingProcess()(call as unknown as ServerDuplexStream<Message, Message>);
  for (const json of requests) call.emit('data', fromJson(envoyMessage('envoy.service.ext_proc.v3.ProcessingRequest'), json as never, { registry }));
  return answers;
}

const headers = (status: string) => ({
  responseHeaders: { headers: { headers: [{ key: ':status', rawValue: b64(status) }] } },
  metadataContext: { filterMetadata: { 'envoy.filters.http.mcp': { method: 'tools/call', id: 4, params: { name: 'get_ticket' } } } },
});
const body = (text: string, endOfStream: boolean) => ({ responseBody: { body: b64(text), endOfStream } });
const results = (answer: Record<string, unknown> | undefined) =>
  (answer?.dynamicMetadata as Record<string, unknown> | undefined)?.[RESULTS_METADATA_NAMESPACE] as Record<string, unknown> | undefined;

describe('the result recorder', () => {
  const response = JSON.stringify({ jsonrpc: '2.0', id: 4, result: { content: [{ type: 'text', text: 'ok' }], structuredContent: { email: 'a@b.c' } } });

  it('answers every message unchanged and records the outcome and the kept result at the end of the body', () => {
    const answers = stream([headers('200'), body(response.slice(0, 20), false), body(response.slice(20), true)], {
      get_ticket: { mode: 'payload', maxBytes: 4096, redact: ['structuredContent.email'] },
    });
    expect(answers).toHaveLength(3);
    expect(answers[0]).toEqual({ responseHeaders: {} });
    expect(answers[1]).toEqual({ responseBody: {} });
    expect(results(answers[2])).toMatchObject({ outcome: 'ok', result: { mode: 'payload', value: { structuredContent: { email: '[redacted]' } } } });
  });

  it('records the outcome only for a tool the route does not name', () => {
    const answers = stream([headers('200'), body(JSON.stringify({ jsonrpc: '2.0', id: 4, error: { code: -32603, message: 'down' } }), true)]);
    expect(results(answers[1])).toEqual({ outcome: 'jsonrpc_error', error: { code: -32603, message: 'down' } });
  });

  it('records from the body alone when the route does not send the response headers (the metadata comes with the first chunk)', () => {
    const metadata = { metadataContext: headers('200').metadataContext };
    const answers = stream([{ ...metadata, ...body(response.slice(0, 30), false) }, { ...metadata, ...body(response.slice(30), true) }], {
      get_ticket: { mode: 'digest', maxBytes: 4096, redact: [] },
    });
    expect(answers[0]).toEqual({ responseBody: {} });
    expect(results(answers[1])).toMatchObject({ outcome: 'ok', result: { mode: 'digest' } });
  });

  it('records nothing for an HTTP error whose headers it saw', () => {
    const answers = stream([headers('502'), body('upstream connect error', true)]);
    expect(answers[1]).toEqual({ responseBody: {} });
  });
});
