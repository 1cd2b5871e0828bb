import { describe, expect, it } from 'vitest';
import type { AccessLogEntry } from '../accesslog/access-log-service.ts';
import { readFileSync } from 'node:fs';
import { auditRecordOf } from './access-log-record.ts';
import { ResultRecorder } from './result-recorder.ts';

const entry = JSON.parse(readFileSync(new URL('./testdata/tools-call-entry.json', import.meta.url), 'utf8')) as AccessLogEntry;
const result = { content: [{ type: 'text', text: 'Ticket T-1 belongs to ann@example.com' }], structuredContent: { email: 'ann@example.com' } };
const body = `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 1, result })}\n\n`;

/** The audit record of the fixture entry with the recorder's metadata merged in, as Envoy would. */
function recordWith(metadata: Record<string, unknown>) {
  const copy = structuredClone(entry);
  const common = copy.entry.commonProperties as { metadata: { filterMetadata: Record<string, unknown> } };
  Object.assign(common.metadata.filterMetadata, (metadata as { dynamicMetadata?: Record<string, unknown> }).dynamicMetadata ?? {});
  return auditRecordOf(copy);
}

describe('ResultRecorder', () => {
  it('keeps the redacted payload of a streamed result, split across chunks, up to the tool\'s cap', () => {
    const recorder = new ResultRecorder(1, { mode: 'payload', maxBytes: 4096, redact: ['structuredContent.email'] });
    const bytes = Buffer.from(body);
    recorder.push(bytes.subarray(0, 30));
    expect(recorder.takeMetadata()).toEqual({});
    recorder.push(bytes.subarray(30));
    const record = recordWith(recorder.takeMetadata());
    expect(record.outcome).toBe('ok');
    expect(record.result).toMatchObject({ mode: 'payload', value: { structuredContent: { email: '[redacted]' } } });
  });

  it('records an in-band JSON-RPC error and an isError result as errors, whatever the tool keeps', () => {
    const error = new ResultRecorder(1, undefined);
    error.push(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'Unknown tool' } })));
    expect(recordWith(error.takeMetadata())).toMatchObject({ outcome: 'jsonrpc_error', jsonrpc_error: { code: -32602, message: 'Unknown tool' } });
    const failed = new ResultRecorder(1, { mode: 'digest', maxBytes: 4096, redact: [] });
    failed.push(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [], isError: true } })));
    expect(recordWith(failed.takeMetadata())).toMatchObject({ outcome: 'tool_error', result: { mode: 'digest' }, jsonrpc_error: null });
  });

  it('gives the outcome once, as soon as the response has passed: a client may disconnect before the stream ends', () => {
    const recorder = new ResultRecorder(1, undefined);
    recorder.push(Buffer.from(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } })}\n\n`));
    expect(recorder.takeMetadata()).toEqual({});
    recorder.push(Buffer.from(body));
    expect(recordWith(recorder.takeMetadata())).toMatchObject({ outcome: 'ok' });
    recorder.push(Buffer.from(''));
    expect(recorder.takeMetadata()).toEqual({});
  });

  it('gives up on a body beyond its bound instead of holding it', () => {
    const recorder = new ResultRecorder(1, { mode: 'digest', maxBytes: 4096, redact: [] }, 16);
    recorder.push(Buffer.from(body));
    expect(recorder.takeMetadata()).toEqual({});
  });
});
