// The gRPC access log service Envoy streams every request's log entry to
// (envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs, client streaming).
import type { sendUnaryData, ServerReadableStream, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import type { Metrics } from '../admin/metrics.ts';
import type { Logger } from '../log.ts';
import { jsonFromBinary } from '../proto/json-from-binary.ts';
import { message, method, schemas } from '../proto/messages.ts';

type StreamMessage = { $typeName: string };
type StreamResponse = { $typeName: string };

const streamAccessLogs = method<StreamMessage, StreamResponse>(
  '/envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs',
  schemas.streamAccessLogsMessage,
  schemas.streamAccessLogsResponse,
  { requestStream: true, responseStream: false },
);

/** Messages arrive as bytes and are read straight into their JSON form (jsonFromBinary). */
export const ACCESS_LOG_SERVICE: ServiceDefinition = {
  StreamAccessLogs: { ...streamAccessLogs, requestDeserialize: (bytes: Buffer) => bytes },
};

/** One HTTPAccessLogEntry in protobuf JSON form, with the identity of the Envoy that sent it. */
export interface AccessLogEntry {
  readonly node: string;
  readonly logName: string;
  readonly entry: Record<string, unknown>;
}

export interface AccessLogDependencies {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly onEntries: (entries: readonly AccessLogEntry[]) => void;
}

export function accessLogImplementation(deps: AccessLogDependencies): UntypedServiceImplementation {
  const registry = envoyRegistry();
  return {
    StreamAccessLogs: (call: ServerReadableStream<Buffer, StreamResponse>, callback: sendUnaryData<StreamResponse>) => {
      let node = '';
      let logName = '';
      call.on('data', (bytes: Buffer) => {
        let json: {
          identifier?: { node?: { id?: string }; logName?: string };
          httpLogs?: { logEntry?: Record<string, unknown>[] };
        };
        try {
          json = jsonFromBinary(schemas.streamAccessLogsMessage(), bytes, registry);
        } catch (error) {
          deps.logger.log('error', 'cannot read an access log message', { error: error instanceof Error ? error.message : String(error) });
          return;
        }
        if (json.identifier) {
          node = json.identifier.node?.id ?? node;
          logName = json.identifier.logName ?? logName;
        }
        const entries = (json.httpLogs?.logEntry ?? []).map((entry) => ({ node, logName, entry }));
        if (entries.length === 0) return;
        deps.metrics.accessLogEntries.inc(entries.length);
        try {
          deps.onEntries(entries);
        } catch (error) {
          deps.logger.log('error', 'access log sink failed', { error: error instanceof Error ? error.message : String(error) });
        }
      });
      const finish = () => callback(null, message<StreamResponse>(schemas.streamAccessLogsResponse(), {}));
      call.on('end', finish);
      call.on('error', () => undefined);
    },
  };
}
