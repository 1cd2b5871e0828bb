// A DeltaDiscoveryResponse encoded straight to protobuf bytes, as discovery-response.ts does for
// state of the world: each resource's record (name, version, Any) is framed once per snapshot
// object and reused by every stream that sends it, and a whole response by every stream that sends
// the same (`recent`). The bytes are exactly those protobuf-es writes, encoded inside their gRPC
// frame (grpc-frame.ts), which the streams write without copying it.
import type { AnyMessage, DeltaDiscoveryResponse, DeltaResource } from './messages.ts';
import { allocFramedMessage } from './grpc-frame.ts';
import { stringFieldLength, varintLength, writeStringField, writeVarint } from './discovery-response.ts';

/** Each resource's `resources` record (field 2: a Resource of version 1, resource 2, name 3). */
const framed = new WeakMap<AnyMessage, { readonly name: string; readonly version: string; readonly bytes: Buffer }>();

function lengthDelimited(inner: number): number {
  return 1 + varintLength(inner) + inner;
}

function frame(resource: DeltaResource): Buffer {
  const cached = framed.get(resource.resource);
  if (cached?.name === resource.name && cached.version === resource.version) return cached.bytes;
  const any = resource.resource;
  const anyInner = stringFieldLength(any.typeUrl) + (any.value.length > 0 ? lengthDelimited(any.value.length) : 0);
  const inner = stringFieldLength(resource.version) + lengthDelimited(anyInner) + stringFieldLength(resource.name);
  const bytes = Buffer.allocUnsafe(lengthDelimited(inner));
  let pos = 0;
  bytes[pos++] = 0x12; // DeltaDiscoveryResponse.resources = 2
  pos = writeVarint(bytes, pos, inner);
  pos = writeStringField(bytes, pos, 0x0a, resource.version); // Resource.version = 1
  bytes[pos++] = 0x12; // Resource.resource = 2
  pos = writeVarint(bytes, pos, anyInner);
  pos = writeStringField(bytes, pos, 0x0a, any.typeUrl); // Any.type_url = 1
  if (any.value.length > 0) {
    bytes[pos++] = 0x12; // Any.value = 2
    pos = writeVarint(bytes, pos, any.value.length);
    bytes.set(any.value, pos);
    pos += any.value.length;
  }
  pos = writeStringField(bytes, pos, 0x1a, resource.name); // Resource.name = 3
  if (pos !== bytes.length) throw new Error(`Resource encoding wrote ${pos} of ${bytes.length} bytes`);
  framed.set(any, { name: resource.name, version: resource.version, bytes });
  return bytes;
}

/**
 * Recently encoded responses, as for state of the world (discovery-response.ts): nodes that connected
 * together are sent the same responses with the same nonces, and one frame serves them all.
 */
const recent = new Map<string, { readonly response: DeltaDiscoveryResponse; readonly bytes: Buffer }>();
const RECENT_LIMIT = 64;

function sameContent(a: DeltaDiscoveryResponse, b: DeltaDiscoveryResponse): boolean {
  if (a.resources.length !== b.resources.length || a.removedResources.length !== b.removedResources.length) return false;
  for (let i = 0; i < a.resources.length; i++) {
    const x = a.resources[i];
    const y = b.resources[i];
    if (x?.resource !== y?.resource || x?.name !== y?.name || x?.version !== y?.version) return false;
  }
  for (let i = 0; i < a.removedResources.length; i++) if (a.removedResources[i] !== b.removedResources[i]) return false;
  return true;
}

/** The protobuf encoding of a DeltaDiscoveryResponse (system_version_info 1, resources 2, type_url 4, nonce 5, removed_resources 6, control_plane 7). */
export function encodeDeltaDiscoveryResponse(response: DeltaDiscoveryResponse): Buffer {
  const identifier = response.controlPlane?.identifier;
  const { typeUrl, systemVersionInfo, nonce, resources, removedResources } = response;
  const key = [typeUrl, systemVersionInfo, nonce, identifier ?? '\u0000', resources.length, removedResources.length].join('\n');
  const cached = recent.get(key);
  if (cached && sameContent(cached.response, response)) return cached.bytes;
  const bytes = encode(response);
  const oldest = recent.keys().next();
  if (recent.size >= RECENT_LIMIT && !oldest.done) recent.delete(oldest.value);
  recent.set(key, { response, bytes });
  return bytes;
}

function encode(response: DeltaDiscoveryResponse): Buffer {
  const identifier = response.controlPlane?.identifier;
  const resources = response.resources.map(frame);
  const controlPlaneInner = identifier === undefined ? 0 : stringFieldLength(identifier);
  let size = stringFieldLength(response.systemVersionInfo) + stringFieldLength(response.typeUrl) + stringFieldLength(response.nonce);
  for (const r of resources) size += r.length;
  // Repeated strings are written even when empty.
  for (const name of response.removedResources) size += lengthDelimited(Buffer.byteLength(name));
  if (identifier !== undefined) size += lengthDelimited(controlPlaneInner);
  const out = allocFramedMessage(size);
  let pos = writeStringField(out, 0, 0x0a, response.systemVersionInfo);
  for (const r of resources) {
    out.set(r, pos);
    pos += r.length;
  }
  pos = writeStringField(out, pos, 0x22, response.typeUrl);
  pos = writeStringField(out, pos, 0x2a, response.nonce);
  for (const name of response.removedResources) {
    out[pos++] = 0x32; // removed_resources = 6
    pos = writeVarint(out, pos, Buffer.byteLength(name));
    pos += out.write(name, pos, 'utf8');
  }
  if (identifier !== undefined) {
    out[pos++] = 0x3a; // control_plane = 7
    pos = writeVarint(out, pos, controlPlaneInner);
    pos = writeStringField(out, pos, 0x0a, identifier); // ControlPlane.identifier = 1
  }
  if (pos !== size) throw new Error(`DeltaDiscoveryResponse encoding wrote ${pos} of ${size} bytes`);
  return out;
}
