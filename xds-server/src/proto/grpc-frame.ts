// Protobuf messages encoded straight into a gRPC frame (the 5-byte prefix: not compressed, then
// the length), so that one buffer can be written as is to every stream that sends the message
// (ads/shared-frames.ts) instead of grpc-js copying it into a frame of its own for each stream.
// The message a caller gets is the frame's tail: a plain Buffer, usable wherever a message is.

/** gRPC's message prefix: a compressed flag (1 byte) and the length (4 bytes, big-endian). */
export const GRPC_PREFIX_BYTES = 5;

/** Each message allocated here, to the frame it is the tail of. */
const frames = new WeakMap<Buffer, Buffer>();

/** A Buffer of `size` bytes to encode a message into, the tail of a gRPC frame with its prefix already written. */
export function allocFramedMessage(size: number): Buffer {
  const frame = Buffer.allocUnsafe(GRPC_PREFIX_BYTES + size);
  frame[0] = 0; // not compressed
  frame.writeUInt32BE(size, 1);
  const message = frame.subarray(GRPC_PREFIX_BYTES);
  frames.set(message, frame);
  return message;
}

/** The gRPC frame of a message allocated by allocFramedMessage; undefined for any other value. */
export function frameOf(message: unknown): Buffer | undefined {
  return Buffer.isBuffer(message) ? frames.get(message) : undefined;
}
