// The Envoy service messages the control plane speaks, typed for the fields it uses, with gRPC
// method definitions whose (de)serializers use the exact Envoy API descriptors.
import { create, fromBinary, toBinary, type DescMessage } from '@bufbuild/protobuf';
import type { MethodDefinition } from '@grpc/grpc-js';
import { envoyMessage } from '../../../artifacts/src/envoy-registry.ts';

export interface Node {
  readonly id: string;
  readonly cluster: string;
  readonly userAgentName?: string;
  /** protobuf-es decodes the `user_agent_version_type` oneof as {case, value}. */
  readonly userAgentVersionType?:
    | { readonly case: 'userAgentBuildVersion'; readonly value: { readonly version?: { majorNumber: number; minorNumber: number; patch: number } } }
    | { readonly case: 'userAgentVersion'; readonly value: string }
    | { readonly case: undefined; readonly value?: undefined };
}

export interface RpcStatus {
  readonly code: number;
  readonly message: string;
}

export interface DiscoveryRequest {
  readonly versionInfo: string;
  readonly node?: Node;
  readonly resourceNames: readonly string[];
  readonly typeUrl: string;
  readonly responseNonce: string;
  readonly errorDetail?: RpcStatus;
}

export interface AnyMessage {
  readonly typeUrl: string;
  readonly value: Uint8Array;
}

export interface DiscoveryResponse {
  readonly versionInfo: string;
  readonly resources: readonly AnyMessage[];
  readonly typeUrl: string;
  readonly nonce: string;
  readonly controlPlane?: { identifier: string };
}

export interface DeltaDiscoveryRequest {
  readonly node?: Node;
  readonly typeUrl: string;
  readonly resourceNamesSubscribe: readonly string[];
  readonly resourceNamesUnsubscribe: readonly string[];
  /** On a new stream: the resources (name -> version) the client already has. */
  readonly initialResourceVersions: Readonly<Record<string, string>>;
  readonly responseNonce: string;
  readonly errorDetail?: RpcStatus;
}

/** One resource of a delta response (envoy.service.discovery.v3.Resource). */
export interface DeltaResource {
  readonly name: string;
  readonly version: string;
  readonly resource: AnyMessage;
}

export interface DeltaDiscoveryResponse {
  /** For debugging only (the protocol says so): Gatehouse puts the snapshot's version of the type. */
  readonly systemVersionInfo: string;
  readonly resources: readonly DeltaResource[];
  readonly typeUrl: string;
  readonly removedResources: readonly string[];
  readonly nonce: string;
  readonly controlPlane?: { identifier: string };
}

/** Lazily resolved message descriptors (the descriptor set is read on first use). */
export const schemas = {
  discoveryRequest: () => envoyMessage('envoy.service.discovery.v3.DiscoveryRequest'),
  discoveryResponse: () => envoyMessage('envoy.service.discovery.v3.DiscoveryResponse'),
  deltaDiscoveryRequest: () => envoyMessage('envoy.service.discovery.v3.DeltaDiscoveryRequest'),
  deltaDiscoveryResponse: () => envoyMessage('envoy.service.discovery.v3.DeltaDiscoveryResponse'),
  checkRequest: () => envoyMessage('envoy.service.auth.v3.CheckRequest'),
  checkResponse: () => envoyMessage('envoy.service.auth.v3.CheckResponse'),
  streamAccessLogsMessage: () => envoyMessage('envoy.service.accesslog.v3.StreamAccessLogsMessage'),
  streamAccessLogsResponse: () => envoyMessage('envoy.service.accesslog.v3.StreamAccessLogsResponse'),
  any: () => envoyMessage('google.protobuf.Any'),
};

/** Builds a message of a schema from plain field values (camelCase local names). */
export function message<T>(schema: DescMessage, init: Readonly<Partial<Record<keyof T, unknown>>>): T {
  return create(schema, init as never) as unknown as T;
}

/** A gRPC method whose messages are encoded with the given Envoy descriptors. */
export function method<Req, Res>(
  path: string,
  request: () => DescMessage,
  response: () => DescMessage,
  streams: { requestStream: boolean; responseStream: boolean },
): MethodDefinition<Req, Res> {
  return {
    path,
    ...streams,
    requestSerialize: (value: Req) => Buffer.from(toBinary(request(), value as never)),
    requestDeserialize: (bytes: Buffer) => fromBinary(request(), bytes) as unknown as Req,
    responseSerialize: (value: Res) => Buffer.from(toBinary(response(), value as never)),
    responseDeserialize: (bytes: Buffer) => fromBinary(response(), bytes) as unknown as Res,
  };
}
