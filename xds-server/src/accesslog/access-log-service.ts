// The gRPC access log service Envoy streams every request's log entry to
// (envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs, client streaming).
import type { sendUnaryData, ServerReadableStream, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import type { Metrics } from '../admin/metrics.ts';
import type { Logger } from '../log.ts';
import { jsonFromBinary } from '../proto/json-from-binary.ts';
import { message, method, schemas } from '../proto/messages.ts';
import type { PeerAuthenticator } from '../tls/peer-identity.ts';
import { accessLogRefusal } from '../tls/access-log-identity.ts';
import { permissionDenied } from '../tls/node-claims.ts';

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
  /** mTLS: the node comes from the certificate and may log only as its fleet's gateways. Absent: plaintext. */
  readonly peers?: PeerAuthenticator;
  /** The access-log names of a fleet's gateways (undefined: no artifacts for that fleet). */
  readonly fleetLogNames?: (fleet: string) => ReadonlySet<string> | undefined;
}

export function accessLogImplementation(deps: AccessLogDependencies): UntypedServiceImplementation {
  const registry = envoyRegistry();
  return {
    StreamAccessLogs: (call: ServerReadableStream<Buffer, StreamResponse>, callback: sendUnaryData<StreamResponse>) => {
      const peer = deps.peers?.authenticate(call);
      const identity = peer?.kind === 'node' ? peer.identity : undefined;
      let refused = false;
      const refuse = (reason: string) => {
        refused = true;
        deps.logger.log('warn', 'access log stream refused', { reason, identity: identity?.uri });
        callback(permissionDenied(`Gatehouse refused this access log stream: ${reason}`));
      };
      if (peer?.kind === 'refused') {
        refuse(peer.reason);
        return;
      }
      let node = identity?.node ?? '';
      let logName = '';
      /** mTLS: entries count only once the stream's log name was checked against the node's fleet. */
      let checked = !identity;
      call.on('data', (bytes: Buffer) => {
        if (refused) return;
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
          logName = json.identifier.logName ?? logName;
          if (identity) {
            const reason = accessLogRefusal(identity, json.identifier.node?.id, logName, deps.fleetLogNames?.(identity.fleet));
            if (reason) {
              refuse(reason);
              return;
            }
            checked = true;
          } else {
            node = json.identifier.node?.id ?? node;
          }
        }
        const entries = (json.httpLogs?.logEntry ?? []).map((entry) => ({ node, logName, entry }));
        if (entries.length === 0) return;
        if (!checked) {
          refuse('entries before the identifier (log name)');
          return;
        }
        deps.metrics.accessLogEntries.inc(entries.length);
        try {
          deps.onEntries(entries);
        } catch (error) {
          deps.logger.log('error', 'access log sink failed', { error: error instanceof Error ? error.message : String(error) });
        }
      });
      const finish = () => {
        if (!refused) callback(null, message<StreamResponse>(schemas.streamAccessLogsResponse(), {}));
      };
      call.on('end', finish);
      call.on('error', () => undefined);
    },
  };
}
