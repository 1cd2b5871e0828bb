// A DiscoveryResponse encoded straight to protobuf bytes, for pushing one snapshot to many Envoys:
// each resource (an Any holding bytes the snapshot already encoded) is framed once and the frame is
// reused by every stream, so a push costs one copy per distinct response (streams that send the
// same one share it: `recent` below) instead of building and encoding a message per stream. The
// bytes are exactly those protobuf-es writes (fields in number order), encoded inside their gRPC
// frame (grpc-frame.ts), which every stream writes without copying it.
import { allocFramedMessage } from './grpc-frame.ts';
import type { AnyMessage, DiscoveryResponse } from './messages.ts';

const encoder = new TextEncoder();

/** Each resource's `resources` record (field 2: an Any of type_url and value), per snapshot object. */
const framed = new WeakMap<AnyMessage, Uint8Array>();

export function varintLength(n: number): number {
  let length = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    length++;
  }
  return length;
}

export function writeVarint(out: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[pos++] = n;
  return pos;
}

/** A length-delimited field: tag, length, bytes. Empty strings of implicit fields are left out by the caller. */
function fieldLength(bytes: Uint8Array): number {
  return 1 + varintLength(bytes.length) + bytes.length;
}

function writeField(out: Uint8Array, pos: number, tag: number, bytes: Uint8Array): number {
  out[pos++] = tag;
  pos = writeVarint(out, pos, bytes.length);
  out.set(bytes, pos);
  return pos + bytes.length;
}

function frame(resource: AnyMessage): Uint8Array {
  let bytes = framed.get(resource);
  if (bytes) return bytes;
  const typeUrl = encoder.encode(resource.typeUrl);
  const inner = (typeUrl.length > 0 ? fieldLength(typeUrl) : 0) + (resource.value.length > 0 ? fieldLength(resource.value) : 0);
  bytes = new Uint8Array(1 + varintLength(inner) + inner);
  let pos = 0;
  bytes[pos++] = 0x12; // resources = 2
  pos = writeVarint(bytes, pos, inner);
  if (typeUrl.length > 0) pos = writeField(bytes, pos, 0x0a, typeUrl); // Any.type_url = 1
  if (resource.value.length > 0) writeField(bytes, pos, 0x12, resource.value); // Any.value = 2
  framed.set(resource, bytes);
  return bytes;
}

export function stringFieldLength(text: string): number {
  const n = Buffer.byteLength(text);
  return n === 0 ? 0 : 1 + varintLength(n) + n;
}

export function writeStringField(out: Buffer, pos: number, tag: number, text: string): number {
  const n = Buffer.byteLength(text);
  if (n === 0) return pos;
  out[pos++] = tag;
  pos = writeVarint(out, pos, n);
  return pos + out.write(text, pos, 'utf8');
}

/**
 * Recently encoded responses. Streams that connected together go through the same nonces, so the
 * same response (type, version, resources, nonce) is usually written to many streams in a row, and
 * one frame serves them all.
 */
const recent = new Map<string, { readonly resources: readonly AnyMessage[]; readonly bytes: Buffer }>();
const RECENT_LIMIT = 64;

function sameResources(a: readonly AnyMessage[], b: readonly AnyMessage[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The protobuf encoding of a DiscoveryResponse (version_info 1, resources 2, type_url 4, nonce 5, control_plane 6). */
export function encodeDiscoveryResponse(response: DiscoveryResponse): Buffer {
  const identifier = response.controlPlane?.identifier;
  const key = `${response.typeUrl}\n${response.versionInfo}\n${response.nonce}\n${identifier ?? '\u0000'}\n${response.resources.length}`;
  const cached = recent.get(key);
  if (cached && sameResources(cached.resources, response.resources)) return cached.bytes;
  const bytes = encode(response);
  const oldest = recent.keys().next();
  if (recent.size >= RECENT_LIMIT && !oldest.done) recent.delete(oldest.value);
  recent.set(key, { resources: response.resources, bytes });
  return bytes;
}

function encode(response: DiscoveryResponse): Buffer {
  const identifier = response.controlPlane?.identifier;
  const resources = response.resources.map(frame);
  const controlPlaneInner = identifier === undefined ? 0 : stringFieldLength(identifier);
  let size = stringFieldLength(response.versionInfo) + stringFieldLength(response.typeUrl) + stringFieldLength(response.nonce);
  for (const r of resources) size += r.length;
  if (identifier !== undefined) size += 1 + varintLength(controlPlaneInner) + controlPlaneInner;
  const out = allocFramedMessage(size);
  let pos = writeStringField(out, 0, 0x0a, response.versionInfo);
  for (const r of resources) {
    out.set(r, pos);
    pos += r.length;
  }
  pos = writeStringField(out, pos, 0x22, response.typeUrl);
  pos = writeStringField(out, pos, 0x2a, response.nonce);
  if (identifier !== undefined) {
    out[pos++] = 0x32; // control_plane = 6
    pos = writeVarint(out, pos, controlPlaneInner);
    pos = writeStringField(out, pos, 0x0a, identifier); // ControlPlane.identifier = 1
  }
  if (pos !== size) throw new Error(`DiscoveryResponse encoding wrote ${pos} of ${size} bytes`);
  return out;
}
