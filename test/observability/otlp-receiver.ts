// A local OpenTelemetry collector for tests: an OTLP/gRPC server implementing
// opentelemetry.proto.collector.trace.v1.TraceService/Export, which keeps every span it gets.
// The Envoy descriptor set has OTLP's common.v1 (KeyValue, AnyValue) but not the trace protos
// (and Gatehouse's reduced registry leaves common.v1 out: read here from the whole set),
// so the few trace messages are declared here from opentelemetry-proto v1 (field numbers as
// published; fields a test does not read are left out and skipped on decode).
import { readFileSync } from 'node:fs';
import { create, createFileRegistry, fromBinary, toBinary, toJson, type DescMessage } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { requireTool } from '../../toolchain/src/tools.ts';

const COMMON = 'opentelemetry/proto/common/v1/common.proto';
const message = (name: string, fields: [string, number, string, string?, boolean?][]) => ({
  name,
  field: fields.map(([fieldName, number, type, typeName, repeated]) => ({
    name: fieldName,
    number,
    label: repeated ? 3 : 1,
    type: { bytes: 12, string: 9, fixed64: 6, int32: 5, message: 11 }[type],
    ...(typeName ? { typeName } : {}),
    jsonName: fieldName.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
  })),
});

const TRACE_FILE = create(FileDescriptorProtoSchema, {
  name: 'gatehouse/test/otlp_trace.proto',
  package: 'opentelemetry.proto.collector.trace.v1',
  dependency: [COMMON],
  syntax: 'proto3',
  messageType: [
    message('ExportTraceServiceRequest', [['resource_spans', 1, 'message', '.opentelemetry.proto.collector.trace.v1.ResourceSpans', true]]),
    message('ExportTraceServiceResponse', []),
    message('Resource', [['attributes', 1, 'message', '.opentelemetry.proto.common.v1.KeyValue', true]]),
    message('ResourceSpans', [
      ['resource', 1, 'message', '.opentelemetry.proto.collector.trace.v1.Resource'],
      ['scope_spans', 2, 'message', '.opentelemetry.proto.collector.trace.v1.ScopeSpans', true],
    ]),
    message('ScopeSpans', [['spans', 2, 'message', '.opentelemetry.proto.collector.trace.v1.Span', true]]),
    message('Span', [
      ['trace_id', 1, 'bytes'],
      ['span_id', 2, 'bytes'],
      ['parent_span_id', 4, 'bytes'],
      ['name', 5, 'string'],
      ['kind', 6, 'int32'],
      ['start_time_unix_nano', 7, 'fixed64'],
      ['end_time_unix_nano', 8, 'fixed64'],
      ['attributes', 9, 'message', '.opentelemetry.proto.common.v1.KeyValue', true],
    ]),
  ],
});

const commonFile = fromBinary(FileDescriptorSetSchema, readFileSync(requireTool('envoy-api'))).file.filter((f) => f.name === COMMON);
const common = createFileRegistry(create(FileDescriptorSetSchema, { file: commonFile }));
const registry = createFileRegistry(TRACE_FILE, (name) => (name === COMMON ? common.getFile(COMMON) : undefined));
const schema = (name: string): DescMessage => registry.getMessage(`opentelemetry.proto.collector.trace.v1.${name}`)!;

/** A received span: ids in hex, attributes as plain values, the service name of its resource. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly service: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface OtlpReceiver {
  readonly port: number;
  readonly spans: ReceivedSpan[];
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server = new Server();
  server.addService(
    {
      Export: {
        path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        requestStream: false,
        responseStream: false,
        requestSerialize: (value: unknown) => Buffer.from(toBinary(schema('ExportTraceServiceRequest'), value as never)),
        requestDeserialize: (bytes: Buffer) => fromBinary(schema('ExportTraceServiceRequest'), bytes),
        responseSerialize: (value: unknown) => Buffer.from(toBinary(schema('ExportTraceServiceResponse'), value as never)),
        responseDeserialize: (bytes: Buffer) => fromBinary(schema('ExportTraceServiceResponse'), bytes),
      },
    },
    {
      Export: (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        spans.push(...spansOf(toJson(schema('ExportTraceServiceRequest'), call.request as never, { registry }) as ExportJson));
        callback(null, create(schema('ExportTraceServiceResponse')));
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { port, spans, close: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}

type KeyValueJson = { key: string; value?: Record<string, unknown> };
type ExportJson = {
  resourceSpans?: { resource?: { attributes?: KeyValueJson[] }; scopeSpans?: { spans?: Record<string, unknown>[] }[] }[];
};

function spansOf(request: ExportJson): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((rs) => {
    const service = text(attributes(rs.resource?.attributes)['service.name']);
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((span) => ({
        traceId: hex(span.traceId),
        spanId: hex(span.spanId),
        parentSpanId: hex(span.parentSpanId),
        name: text(span.name),
        service,
        attributes: attributes(span.attributes as KeyValueJson[] | undefined),
      })),
    );
  });
}

function attributes(list: KeyValueJson[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, Object.values(kv.value ?? {})[0]]));
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** protobuf JSON writes bytes as base64; trace and span ids are read as hex. */
function hex(value: unknown): string {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('hex') : '';
}
