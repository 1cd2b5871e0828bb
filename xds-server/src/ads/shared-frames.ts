// ADS responses written without a copy per stream. grpc-js frames every message it sends into a
// Buffer of its own (its call's serializeMessage: the 5-byte prefix, then a copy of the message),
// so a push of one snapshot to 1,000 nodes made 1,000 copies of it (about 600 MiB for the bench's
// fleet). Each copy lives until the socket has taken it, long enough to outlive young-generation
// collections, and then waits for a full one: at 1,000 nodes tens of MiB of such garbage were held
// at any moment of a push or of the initial sync. A response encoded into its gRPC frame
// (proto/grpc-frame.ts) is handed to HTTP/2 as is instead, the same Buffer for every stream.
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { frameOf } from '../proto/grpc-frame.ts';

/**
 * What this relies on in grpc-js (1.14, no server interceptors): a server stream's `call` is the
 * call that frames messages, in its method serializeMessage(value) → the framed Buffer it writes.
 */
interface FramingCall {
  serializeMessage(value: unknown): Buffer;
}

function isFramingCall(value: unknown): value is FramingCall {
  return typeof value === 'object' && value !== null && typeof (value as Partial<FramingCall>).serializeMessage === 'function';
}

/**
 * Makes `call` write the frame of a pre-framed message (allocFramedMessage) as is; other values
 * are framed by grpc-js as before. False when this grpc-js does not frame where expected: then
 * every message is copied as grpc-js does by default (correct, only costlier).
 */
export function sendFramesAsIs<Req, Res>(call: ServerDuplexStream<Req, Res>): boolean {
  const inner: unknown = (call as unknown as { readonly call?: unknown }).call;
  if (!isFramingCall(inner)) return false;
  const serialize = inner.serializeMessage.bind(inner);
  inner.serializeMessage = (value: unknown) => frameOf(value) ?? serialize(value);
  return true;
}
