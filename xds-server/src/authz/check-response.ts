// The CheckResponse Envoy gets for a decision, encoded straight to protobuf bytes: exactly what
// `toBinary(fromJson(CheckResponse, checkResponseJson(decision)))` gives, without building the
// message through protobuf-es reflection on every request. A decision this encoder does not expect
// (a value of the wrong type) goes the reference way, so behaviour and errors stay the same.
import { fromJson, toBinary, type Registry } from '@bufbuild/protobuf';
import { schemas } from '../proto/messages.ts';
import { checkResponseJson, type Decision } from './decision.ts';

const OVERWRITE_IF_EXISTS_OR_ADD = 2;
/** append_action (3) = OVERWRITE_IF_EXISTS_OR_ADD. */
const APPEND_ACTION = Buffer.from([0x18, OVERWRITE_IF_EXISTS_OR_ADD]);
const EMPTY = Buffer.alloc(0);

class Unexpected extends Error {}

function varintLength(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new Unexpected('varint');
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

function writeVarint(out: Buffer, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[pos++] = n;
  return pos;
}

function varint(n: number): number[] {
  const out = Buffer.allocUnsafe(varintLength(n));
  writeVarint(out, 0, n);
  return [...out];
}

/** A length-delimited field (tag, length, payload), in one allocation. */
function delimited(tag: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(1 + varintLength(payload.length) + payload.length);
  out[0] = tag;
  const pos = writeVarint(out, 1, payload.length);
  payload.copy(out, pos);
  return out;
}

/** A length-delimited field of several parts. */
function delimitedParts(tag: number, parts: readonly Buffer[]): Buffer {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = Buffer.allocUnsafe(1 + varintLength(length) + length);
  out[0] = tag;
  let pos = writeVarint(out, 1, length);
  for (const p of parts) pos += p.copy(out, pos);
  return out;
}

/** A string field of implicit presence: left out when empty. */
function stringField(tag: number, value: unknown): Buffer {
  if (typeof value !== 'string') throw new Unexpected('string');
  return value === '' ? EMPTY : delimited(tag, Buffer.from(value, 'utf8'));
}

/** google.protobuf.Value of a JSON value. */
function value(json: unknown): Buffer {
  if (json === null) return Buffer.from([0x08, 0x00]);
  switch (typeof json) {
    case 'number': {
      if (!Number.isFinite(json)) throw new Unexpected('number');
      const b = Buffer.alloc(9);
      b[0] = 0x11;
      b.writeDoubleLE(json, 1);
      return b;
    }
    case 'string':
      return delimited(0x1a, Buffer.from(json, 'utf8'));
    case 'boolean':
      return Buffer.from([0x20, json ? 1 : 0]);
    case 'object':
      if (Array.isArray(json)) return delimitedParts(0x32, json.map((item) => delimited(0x0a, value(item))));
      return delimitedParts(0x2a, struct(json as Record<string, unknown>));
    default:
      throw new Unexpected(typeof json);
  }
}

/** google.protobuf.Struct of a JSON object: map entries of key (1) and value (2), in key order. */
function struct(json: Record<string, unknown>): Buffer[] {
  if (Object.getPrototypeOf(json) !== Object.prototype && Object.getPrototypeOf(json) !== null) throw new Unexpected('object');
  const entries: Buffer[] = [];
  for (const key of Object.keys(json)) {
    if (json[key] === undefined) throw new Unexpected('undefined');
    entries.push(delimitedParts(0x0a, [delimited(0x0a, Buffer.from(key, 'utf8')), delimited(0x12, value(json[key]))]));
  }
  return entries;
}

/** Repeated HeaderValueOption: header {key, value}, append_action OVERWRITE_IF_EXISTS_OR_ADD. */
function headers(tag: number, record: Decision['headers']): Buffer[] {
  if (record === undefined) return [];
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new Unexpected('headers');
  const out: Buffer[] = [];
  for (const [key, raw] of Object.entries(record)) {
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      const header = delimitedParts(0x0a, [stringField(0x0a, key), stringField(0x12, String(v))]);
      out.push(delimitedParts(tag, [header, APPEND_ACTION]));
    }
  }
  return out;
}

function encode(decision: Decision): Buffer {
  const parts: Buffer[] = [];
  const metadata = decision.dynamic_metadata;
  if (decision.allowed === true) {
    parts.push(Buffer.from([0x0a, 0x00])); // status {code: OK}
    const ok = [...headers(0x12, decision.headers)];
    if (decision.request_headers_to_remove !== undefined) {
      if (!Array.isArray(decision.request_headers_to_remove)) throw new Unexpected('headers to remove');
      for (const name of decision.request_headers_to_remove) {
        if (typeof name !== 'string') throw new Unexpected('header name');
        ok.push(delimited(0x2a, Buffer.from(name, 'utf8')));
      }
    }
    parts.push(delimitedParts(0x1a, ok)); // ok_response
  } else {
    parts.push(Buffer.from([0x0a, 0x02, 0x08, 0x07])); // status {code: PERMISSION_DENIED}
    const status = decision.http_status ?? 403;
    const httpStatus = status === 0 ? EMPTY : Buffer.from([0x08, ...varint(status)]);
    parts.push(delimitedParts(0x12, [delimited(0x0a, httpStatus), ...headers(0x12, decision.headers), stringField(0x1a, decision.body ?? '')])); // denied_response
  }
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new Unexpected('dynamic metadata');
    parts.push(delimitedParts(0x22, struct(metadata as Record<string, unknown>))); // dynamic_metadata
  }
  return Buffer.concat(parts);
}

/** The CheckResponse bytes for a decision. */
export function encodeCheckResponse(decision: Decision, registry: Registry): Buffer {
  try {
    return encode(decision);
  } catch (error) {
    if (!(error instanceof Unexpected)) throw error;
    return Buffer.from(toBinary(schemas.checkResponse(), fromJson(schemas.checkResponse(), checkResponseJson(decision) as never, { registry })));
  }
}
