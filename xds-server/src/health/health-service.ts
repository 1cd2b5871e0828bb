// The standard gRPC health service (grpc.health.v1.Health/Check) on the control plane's gRPC
// ports, so Envoy can health-check every replica listed in its control-plane clusters and stop
// sending ADS streams, Checks and ext_proc calls to one that is gone or not ready. Its two small
// messages are encoded by hand (one field each) rather than by loading health.proto. Watch is left
// unimplemented (grpc-js answers UNIMPLEMENTED): Envoy's health checker calls Check.
import type { sendUnaryData, ServerUnaryCall, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';

/** grpc.health.v1.HealthCheckResponse.ServingStatus */
export const SERVING = 1;
export const NOT_SERVING = 2;

export const HEALTH_SERVICE: ServiceDefinition = {
  Check: {
    path: '/grpc.health.v1.Health/Check',
    requestStream: false,
    responseStream: false,
    requestSerialize: (value: Buffer) => value,
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: (status: number) => Buffer.from([0x08, status]),
    responseDeserialize: (bytes: Buffer) => bytes[1] ?? 0,
  },
};

/** `ready`: whether this replica serves (artifacts loaded, not shutting down). Every service name gets the same answer. */
export function healthImplementation(ready: () => boolean): UntypedServiceImplementation {
  return {
    Check: (_call: ServerUnaryCall<Buffer, number>, callback: sendUnaryData<number>) => {
      callback(null, ready() ? SERVING : NOT_SERVING);
    },
  };
}
