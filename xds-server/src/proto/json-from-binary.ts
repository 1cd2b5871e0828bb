// Protobuf binary → protobuf JSON in one pass, driven by the message descriptor: the same JSON as
// `toJson(schema, fromBinary(schema, bytes))` with protobuf-es's default options, without building
// the intermediate message. ext_authz reads every CheckRequest this way (the reflective decode and
// toJson walk cost more than evaluating the policy). Anything unusual (an Any, a singular message
// field sent twice, a malformed or out-of-range value) is left to protobuf-es, so behaviour and
// errors stay exactly those of the reference path.
import { fromBinary, ScalarType, toJson, type DescField, type DescMessage, type Registry } from '@bufbuild/protobuf';
import { FeatureSet_FieldPresence } from '@bufbuild/protobuf/wkt';
import { base64Encode } from '@bufbuild/protobuf/wire';

type Json = unknown;
type JsonObject = Record<string, Json>;

/** Thrown where the fast path does not apply; the caller falls back to protobuf-es. */
class Unsupported extends Error {}

/** protobuf-es refuses invalid UTF-8 in strings, so this does too (and then falls back to it for its error). */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The JSON form of a message read from its binary form (protobuf-es toJson defaults). */
export function jsonFromBinary(schema: DescMessage, bytes: Uint8Array, registry?: Registry): JsonObject {
  try {
    const reader = new Reader(bytes);
    return readMessage(planFor(schema), reader, bytes.length);
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    return toJson(schema, fromBinary(schema, bytes), registry ? { registry } : {}) as JsonObject;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the wire format

const MAX_DEPTH = 100;

class Reader {
  pos = 0;
  depth = 0;
  /** The end of the innermost length-delimited record being read: nothing may run past it. */
  limit: number;
  readonly buf: Buffer;
  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.limit = bytes.length;
  }

  /** Reads a nested record [pos, end) with `read`, which must consume it exactly. */
  nested<T>(end: number, read: (end: number) => T): T {
    const saved = this.limit;
    this.limit = end;
    const value = read(end);
    this.limit = saved;
    if (this.pos !== end) throw new Unsupported('overrun');
    return value;
  }

  /** Enters a nested record ending at `end`; returns the limit to give back to leave(). */
  enter(end: number): number {
    const saved = this.limit;
    this.limit = end;
    return saved;
  }

  leave(end: number, saved: number): void {
    this.limit = saved;
    if (this.pos !== end) throw new Unsupported('overrun');
  }

  /** A varint as an unsigned 32-bit number (the low 32 bits of longer ones). */
  uint32(): number {
    const buf = this.buf;
    // Past the end reads as a continuation byte, so a truncated varint fails the check at the end.
    let b = buf[this.pos++] ?? 0x80;
    let value = b & 0x7f;
    if (b < 0x80) return value;
    b = buf[this.pos++] ?? 0x80;
    value |= (b & 0x7f) << 7;
    if (b < 0x80) return value;
    b = buf[this.pos++] ?? 0x80;
    value |= (b & 0x7f) << 14;
    if (b < 0x80) return value;
    b = buf[this.pos++] ?? 0x80;
    value |= (b & 0x7f) << 21;
    if (b < 0x80) return value;
    b = buf[this.pos++] ?? 0x80;
    value |= (b & 0x0f) << 28;
    // Skip the high bits of a 64-bit varint (negative int32 are sent as 10 bytes).
    for (let i = 0; b >= 0x80 && i < 5; i++) b = buf[this.pos++] ?? 0x80;
    if (b >= 0x80 || this.pos > buf.length) throw new Unsupported('bad varint');
    return value >>> 0;
  }

  /** Whether a varint (up to 64 bits) is not zero. */
  nonZero(): boolean {
    let any = false;
    for (let i = 0; i < 10; i++) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new Unsupported('truncated varint');
      if ((b & 0x7f) !== 0) any = true;
      if (b < 0x80) return any;
    }
    throw new Unsupported('bad varint');
  }

  /** A varint as an unsigned 64-bit bigint. */
  uint64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new Unsupported('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new Unsupported('bad varint');
  }

  fixed32(): number {
    const v = this.view(4).getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  fixed64(): bigint {
    const v = this.view(8).getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  float(): number {
    const v = this.view(4).getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  double(): number {
    const v = this.view(8).getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** The end offset of a length-delimited field whose length comes next. */
  delimited(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.limit) throw new Unsupported('truncated');
    return end;
  }

  skipField(wire: number): void {
    switch (wire) {
      case 0:
        this.uint64();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.delimited();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw new Unsupported(`wire type ${wire}`);
    }
    if (this.pos > this.limit) throw new Unsupported('truncated');
  }

  private dataView?: DataView;
  private view(size: number): DataView {
    if (this.pos + size > this.limit) throw new Unsupported('truncated');
    return (this.dataView ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength));
  }
}

/** A scalar read in its wire form: number, bigint (64-bit), boolean, string or bytes. */
type Raw = number | bigint | boolean | string | Uint8Array;

function readScalar(reader: Reader, type: ScalarType, wire: number): Raw {
  switch (type) {
    case ScalarType.STRING: {
      if (wire !== 2) throw new Unsupported('wire type');
      const end = reader.delimited();
      const s = readString(reader.buf, reader.pos, end);
      reader.pos = end;
      return s;
    }
    case ScalarType.BYTES: {
      if (wire !== 2) throw new Unsupported('wire type');
      const end = reader.delimited();
      const b = reader.buf.subarray(reader.pos, end);
      reader.pos = end;
      return b;
    }
    case ScalarType.BOOL:
      if (wire !== 0) throw new Unsupported('wire type');
      return reader.nonZero();
    case ScalarType.INT32:
      if (wire !== 0) throw new Unsupported('wire type');
      return reader.uint32() | 0;
    case ScalarType.UINT32:
      if (wire !== 0) throw new Unsupported('wire type');
      return reader.uint32();
    case ScalarType.SINT32: {
      if (wire !== 0) throw new Unsupported('wire type');
      const n = reader.uint32();
      return (n >>> 1) ^ -(n & 1);
    }
    case ScalarType.INT64:
      if (wire !== 0) throw new Unsupported('wire type');
      return BigInt.asIntN(64, reader.uint64());
    case ScalarType.UINT64:
      if (wire !== 0) throw new Unsupported('wire type');
      return reader.uint64();
    case ScalarType.SINT64: {
      if (wire !== 0) throw new Unsupported('wire type');
      const n = reader.uint64();
      return (n >> 1n) ^ -(n & 1n);
    }
    case ScalarType.FIXED32:
      if (wire !== 5) throw new Unsupported('wire type');
      return reader.fixed32();
    case ScalarType.SFIXED32:
      if (wire !== 5) throw new Unsupported('wire type');
      return reader.fixed32() | 0;
    case ScalarType.FLOAT:
      if (wire !== 5) throw new Unsupported('wire type');
      return reader.float();
    case ScalarType.FIXED64:
      if (wire !== 1) throw new Unsupported('wire type');
      return reader.fixed64();
    case ScalarType.SFIXED64:
      if (wire !== 1) throw new Unsupported('wire type');
      return BigInt.asIntN(64, reader.fixed64());
    case ScalarType.DOUBLE:
      if (wire !== 1) throw new Unsupported('wire type');
      return reader.double();
  }
}

/** A UTF-8 string; ASCII (most of what Envoy sends) through Buffer's native latin1 slice. */
function readString(buf: Buffer, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if ((buf[i] ?? 0) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return buf.toString('latin1', start, end);
  try {
    return utf8.decode(buf.subarray(start, end));
  } catch {
    throw new Unsupported('invalid UTF-8');
  }
}

/** The JSON of a scalar, as protobuf-es writes it. */
function scalarJson(type: ScalarType, value: Raw): Json {
  switch (type) {
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return value.toString();
    case ScalarType.BYTES:
      return base64Encode(value as Uint8Array);
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE: {
      const n = value as number;
      if (Number.isNaN(n)) return 'NaN';
      if (n === Number.POSITIVE_INFINITY) return 'Infinity';
      if (n === Number.NEGATIVE_INFINITY) return '-Infinity';
      return n;
    }
    default:
      return value;
  }
}

function scalarZero(type: ScalarType): Raw {
  switch (type) {
    case ScalarType.STRING:
      return '';
    case ScalarType.BYTES:
      return new Uint8Array(0);
    case ScalarType.BOOL:
      return false;
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return 0n;
    default:
      return 0;
  }
}

/** Whether an implicit-presence scalar holds its zero value (then toJson leaves it out). */
function isZero(type: ScalarType, value: Raw): boolean {
  switch (type) {
    case ScalarType.BOOL:
      return value === false;
    case ScalarType.STRING:
      return value === '';
    case ScalarType.BYTES:
      return (value as Uint8Array).byteLength === 0;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return Object.is(value, 0);
    default:
      return value == 0;
  }
}

const PACKABLE = new Set([
  ScalarType.DOUBLE,
  ScalarType.FLOAT,
  ScalarType.INT64,
  ScalarType.UINT64,
  ScalarType.INT32,
  ScalarType.FIXED64,
  ScalarType.FIXED32,
  ScalarType.BOOL,
  ScalarType.UINT32,
  ScalarType.SFIXED32,
  ScalarType.SFIXED64,
  ScalarType.SINT32,
  ScalarType.SINT64,
]);
/** Packed scalars of 8 bytes (wire type 1) and of 4 bytes (wire type 5); the others are varints. */
const FIXED64_TYPES = new Set([ScalarType.DOUBLE, ScalarType.FIXED64, ScalarType.SFIXED64]);
const FIXED32_TYPES = new Set([ScalarType.FLOAT, ScalarType.FIXED32, ScalarType.SFIXED32]);

// ---------------------------------------------------------------------------------------------
// Messages, compiled once per descriptor

interface FieldPlan {
  readonly field: DescField;
  /** Position in field-number order (the order toJson writes keys in). */
  readonly index: number;
  readonly jsonName: string;
  /** For members of a oneof: the indexes of the oneof's fields. */
  readonly oneofMembers?: readonly number[];
}

interface MessagePlan {
  readonly desc: DescMessage;
  readonly fields: readonly FieldPlan[];
  readonly byNumber: ReadonlyMap<number, FieldPlan>;
  /** Why the fast path cannot read this message (proto2 closed enums, strings without UTF-8 checks, groups). */
  readonly unsupported?: string;
  /** A well-known type with its own JSON form, or undefined. */
  readonly wkt?: (reader: Reader, end: number) => Json;
}

const plans = new WeakMap<DescMessage, MessagePlan>();

function planFor(desc: DescMessage): MessagePlan {
  let plan = plans.get(desc);
  if (plan) return plan;
  const sorted = [...desc.fields].sort((a, b) => a.number - b.number);
  let unsupported: string | undefined;
  const fields = sorted.map((field, i): FieldPlan => {
    const f = field as DescField & { delimitedEncoding?: boolean; utf8Validation?: boolean; enum?: { open?: boolean } };
    if (f.delimitedEncoding) unsupported = 'group encoding';
    if (!f.utf8Validation) unsupported = 'strings without UTF-8 validation';
    if (f.enum && !f.enum.open) unsupported = 'closed enum';
    const members = field.oneof ? field.oneof.fields.map((member) => sorted.indexOf(member)) : undefined;
    return { field, index: i, jsonName: field.jsonName, ...(members ? { oneofMembers: members } : {}) };
  });
  const wkt = wktReader(desc);
  plan = { desc, fields, byNumber: new Map(fields.map((f) => [f.field.number, f])), ...(unsupported ? { unsupported } : {}), ...(wkt ? { wkt } : {}) };
  plans.set(desc, plan);
  return plan;
}

function readMessage(plan: MessagePlan, reader: Reader, end: number): JsonObject {
  if (plan.wkt) throw new Unsupported('well-known type at the top');
  if (plan.unsupported) throw new Unsupported(plan.unsupported);
  if (++reader.depth > MAX_DEPTH) throw new Unsupported('too deep');
  const values: unknown[] = new Array(plan.fields.length);
  while (reader.pos < end) {
    const [number, wire] = nextTag(reader);
    const fp = plan.byNumber.get(number);
    if (!fp) {
      reader.skipField(wire);
      continue;
    }
    const field = fp.field;
    switch (field.fieldKind) {
      case 'scalar':
        values[fp.index] = readScalar(reader, field.scalar, wire);
        break;
      case 'enum':
        if (wire !== 0) throw new Unsupported('wire type');
        values[fp.index] = reader.uint32() | 0;
        break;
      case 'message': {
        if (wire !== 2) throw new Unsupported('wire type');
        // A singular message sent twice is merged by protobuf: leave that to protobuf-es.
        if (values[fp.index] !== undefined) throw new Unsupported('repeated singular message');
        const subEnd = reader.delimited();
        const saved = reader.enter(subEnd);
        values[fp.index] = readValue(field.message, reader, subEnd);
        reader.leave(subEnd, saved);
        break;
      }
      case 'list': {
        let list = values[fp.index] as Json[] | undefined;
        if (!list) values[fp.index] = list = [];
        if (field.listKind === 'message') {
          if (wire !== 2) throw new Unsupported('wire type');
          const subEnd = reader.delimited();
          const saved = reader.enter(subEnd);
          list.push(readValue(field.message, reader, subEnd));
          reader.leave(subEnd, saved);
        } else {
          const type = field.listKind === 'enum' ? ScalarType.INT32 : field.scalar;
          const item = (raw: Raw) => (field.listKind === 'enum' ? enumJson(field.enum, raw as number) : scalarJson(type, raw));
          if (wire === 2 && PACKABLE.has(type)) {
            const innerWire = FIXED64_TYPES.has(type) ? 1 : FIXED32_TYPES.has(type) ? 5 : 0;
            const items = list;
            reader.nested(reader.delimited(), (packedEnd) => {
              while (reader.pos < packedEnd) items.push(item(readScalar(reader, type, innerWire)));
            });
          } else {
            list.push(item(readScalar(reader, type, wire)));
          }
        }
        break;
      }
      case 'map': {
        if (wire !== 2) throw new Unsupported('wire type');
        let map = values[fp.index] as JsonObject | undefined;
        if (!map) values[fp.index] = map = {};
        const entryEnd = reader.delimited();
        const saved = reader.enter(entryEnd);
        readMapEntry(field, reader, entryEnd, map);
        reader.leave(entryEnd, saved);
        break;
      }
    }
    if (fp.oneofMembers) {
      for (const other of fp.oneofMembers) if (other !== fp.index) values[other] = undefined;
    }
  }
  if (reader.pos !== end) throw new Unsupported('overrun');
  reader.depth--;
  const json: JsonObject = {};
  for (const fp of plan.fields) {
    const value = values[fp.index];
    if (value === undefined) continue;
    const field = fp.field;
    switch (field.fieldKind) {
      case 'scalar':
        if (!field.oneof && field.presence === FeatureSet_FieldPresence.IMPLICIT && isZero(field.scalar, value as Raw)) continue;
        json[fp.jsonName] = scalarJson(field.scalar, value as Raw);
        break;
      case 'enum':
        if (!field.oneof && field.presence === FeatureSet_FieldPresence.IMPLICIT && value === field.enum.values[0]?.number) continue;
        json[fp.jsonName] = enumJson(field.enum, value as number);
        break;
      default:
        json[fp.jsonName] = value;
    }
  }
  return json;
}

function enumJson(desc: NonNullable<DescField['enum']>, value: number): Json {
  if (desc.typeName === 'google.protobuf.NullValue') return null;
  return desc.value[value]?.jsonName ?? value;
}

/** A message value: a well-known type's own JSON form, or an object. */
function readValue(desc: DescMessage, reader: Reader, end: number): Json {
  const plan = planFor(desc);
  if (plan.wkt) {
    const value = plan.wkt(reader, end);
    if (reader.pos !== end) throw new Unsupported('overrun');
    return value;
  }
  return readMessage(plan, reader, end);
}

function setKey(object: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

function readMapEntry(field: DescField & { fieldKind: 'map' }, reader: Reader, end: number, map: JsonObject): void {
  let key: Raw = scalarZero(field.mapKey);
  let value: Json;
  while (reader.pos < end) {
    const [number, wire] = nextTag(reader);
    if (number === 1) key = readScalar(reader, field.mapKey, wire);
    else if (number === 2) {
      switch (field.mapKind) {
        case 'scalar':
          value = scalarJson(field.scalar, readScalar(reader, field.scalar, wire));
          break;
        case 'enum':
          if (wire !== 0) throw new Unsupported('wire type');
          value = enumJson(field.enum, reader.uint32() | 0);
          break;
        case 'message': {
          if (wire !== 2) throw new Unsupported('wire type');
          if (value !== undefined) throw new Unsupported('repeated map value');
          value = reader.nested(reader.delimited(), (subEnd) => readValue(field.message, reader, subEnd));
          break;
        }
      }
    } else reader.skipField(wire);
  }
  if (value === undefined) {
    // A missing value is the zero value; for messages, an empty one (which a Value cannot be).
    if (field.mapKind === 'scalar') value = scalarJson(field.scalar, scalarZero(field.scalar));
    else if (field.mapKind === 'enum') value = enumJson(field.enum, field.enum.values[0]?.number ?? 0);
    else {
      const empty = new Reader(new Uint8Array(0));
      value = readValue(field.message, empty, 0);
    }
  }
  setKey(map, typeof key === 'string' ? key : key.toString(), value);
}

// ---------------------------------------------------------------------------------------------
// Well-known types with their own JSON form

const TIMESTAMP_SECONDS_MIN = -62135596800n;
const TIMESTAMP_SECONDS_MAX = 253402300799n;
const DURATION_SECONDS_MAX = 315576000000n;
const WRAPPERS: Readonly<Record<string, ScalarType>> = {
  'google.protobuf.DoubleValue': ScalarType.DOUBLE,
  'google.protobuf.FloatValue': ScalarType.FLOAT,
  'google.protobuf.Int64Value': ScalarType.INT64,
  'google.protobuf.UInt64Value': ScalarType.UINT64,
  'google.protobuf.Int32Value': ScalarType.INT32,
  'google.protobuf.UInt32Value': ScalarType.UINT32,
  'google.protobuf.BoolValue': ScalarType.BOOL,
  'google.protobuf.StringValue': ScalarType.STRING,
  'google.protobuf.BytesValue': ScalarType.BYTES,
};

function wktReader(desc: DescMessage): ((reader: Reader, end: number) => Json) | undefined {
  if (!desc.typeName.startsWith('google.protobuf.')) return undefined;
  switch (desc.typeName) {
    case 'google.protobuf.Any':
    case 'google.protobuf.FieldMask':
      return () => {
        throw new Unsupported(desc.typeName);
      };
    case 'google.protobuf.Struct':
      return readStruct;
    case 'google.protobuf.Value':
      return readStructValue;
    case 'google.protobuf.ListValue':
      return readListValue;
    case 'google.protobuf.Timestamp':
      return (reader, end) => {
        const [seconds, nanos] = readSecondsNanos(reader, end);
        if (seconds < TIMESTAMP_SECONDS_MIN || seconds > TIMESTAMP_SECONDS_MAX || nanos < 0 || nanos > 999_999_999) throw new Unsupported('timestamp range');
        let z = 'Z';
        if (nanos > 0) {
          const digits = (nanos + 1_000_000_000).toString().substring(1);
          z = digits.substring(3) === '000000' ? `.${digits.substring(0, 3)}Z` : digits.substring(6) === '000' ? `.${digits.substring(0, 6)}Z` : `.${digits}Z`;
        }
        return new Date(Number(seconds) * 1000).toISOString().replace('.000Z', z);
      };
    case 'google.protobuf.Duration':
      return (reader, end) => {
        const [seconds, nanos] = readSecondsNanos(reader, end);
        const outOfRange = seconds > DURATION_SECONDS_MAX || seconds < -DURATION_SECONDS_MAX;
        if (outOfRange || (seconds > 0n && nanos < 0) || (seconds < 0n && nanos > 0)) throw new Unsupported('duration range');
        let text = seconds.toString();
        if (nanos !== 0) {
          let digits = Math.abs(nanos).toString();
          digits = '0'.repeat(9 - digits.length) + digits;
          if (digits.substring(3) === '000000') digits = digits.substring(0, 3);
          else if (digits.substring(6) === '000') digits = digits.substring(0, 6);
          text += `.${digits}`;
          if (nanos < 0 && seconds === 0n) text = `-${text}`;
        }
        return `${text}s`;
      };
    default: {
      const type = WRAPPERS[desc.typeName];
      if (type === undefined) return undefined;
      return (reader, end) => {
        let value = scalarZero(type);
        while (reader.pos < end) {
          const [number, wire] = nextTag(reader);
          if (number === 1) value = readScalar(reader, type, wire);
          else reader.skipField(wire);
        }
        return scalarJson(type, value);
      };
    }
  }
}

/** The next tag as [field number, wire type], refusing what protobuf-es refuses (it then reports the error). */
function nextTag(reader: Reader): [number, number] {
  const start = reader.pos;
  const tag = reader.uint32();
  const read = reader.pos - start;
  if (read > 5 || (read === 5 && (reader.buf[reader.pos - 1] ?? 0) > 0x0f)) throw new Unsupported('tag overflows');
  const number = tag >>> 3;
  const wire = tag & 7;
  if (number <= 0 || wire > 5) throw new Unsupported('illegal tag');
  return [number, wire];
}

function expectWire(wire: number, expected: number): void {
  if (wire !== expected) throw new Unsupported('wire type');
}

function readSecondsNanos(reader: Reader, end: number): [bigint, number] {
  let seconds = 0n;
  let nanos = 0;
  while (reader.pos < end) {
    const [number, wire] = nextTag(reader);
    if (number === 1) seconds = readScalar(reader, ScalarType.INT64, wire) as bigint;
    else if (number === 2) nanos = readScalar(reader, ScalarType.INT32, wire) as number;
    else reader.skipField(wire);
  }
  return [seconds, nanos];
}

function readStruct(reader: Reader, end: number): JsonObject {
  if (++reader.depth > MAX_DEPTH) throw new Unsupported('too deep');
  const json: JsonObject = {};
  while (reader.pos < end) {
    const [number, wire] = nextTag(reader);
    if (number !== 1) {
      reader.skipField(wire);
      continue;
    }
    expectWire(wire, 2);
    const entryEnd = reader.delimited();
    const savedEntry = reader.enter(entryEnd);
    {
      let key = '';
      let value: Json;
      while (reader.pos < entryEnd) {
        const [n, w] = nextTag(reader);
        if (n === 1) key = readScalar(reader, ScalarType.STRING, w) as string;
        else if (n === 2) {
          expectWire(w, 2);
          if (value !== undefined) throw new Unsupported('repeated map value');
          const valueEnd = reader.delimited();
          const saved = reader.enter(valueEnd);
          value = readStructValue(reader, valueEnd);
          reader.leave(valueEnd, saved);
        } else reader.skipField(w);
      }
      if (value === undefined) throw new Unsupported('Value without a kind');
      setKey(json, key, value);
    }
    reader.leave(entryEnd, savedEntry);
  }
  reader.depth--;
  return json;
}

/** google.protobuf.Value: exactly one kind, the last one sent. */
function readStructValue(reader: Reader, end: number): Json {
  let value: Json;
  let seen = false;
  let nested = 0;
  while (reader.pos < end) {
    const [number, wire] = nextTag(reader);
    switch (number) {
      case 1: // null_value
        readScalar(reader, ScalarType.INT32, wire);
        value = null;
        break;
      case 2: {
        const n = readScalar(reader, ScalarType.DOUBLE, wire) as number;
        if (!Number.isFinite(n)) throw new Unsupported('non-finite number');
        value = n;
        break;
      }
      case 3:
        value = readScalar(reader, ScalarType.STRING, wire);
        break;
      case 4:
        value = readScalar(reader, ScalarType.BOOL, wire);
        break;
      case 5:
      case 6: {
        expectWire(wire, 2);
        if (nested++ > 0) throw new Unsupported('repeated message in Value');
        const subEnd = reader.delimited();
        const saved = reader.enter(subEnd);
        value = number === 5 ? readStruct(reader, subEnd) : readListValue(reader, subEnd);
        reader.leave(subEnd, saved);
        break;
      }
      default:
        reader.skipField(wire);
        continue;
    }
    seen = true;
  }
  if (!seen) throw new Unsupported('Value without a kind');
  return value;
}

function readListValue(reader: Reader, end: number): Json[] {
  if (++reader.depth > MAX_DEPTH) throw new Unsupported('too deep');
  const list: Json[] = [];
  while (reader.pos < end) {
    const [number, wire] = nextTag(reader);
    if (number !== 1) {
      reader.skipField(wire);
      continue;
    }
    expectWire(wire, 2);
    const valueEnd = reader.delimited();
    const saved = reader.enter(valueEnd);
    list.push(readStructValue(reader, valueEnd));
    reader.leave(valueEnd, saved);
  }
  reader.depth--;
  return list;
}
