// Flattens a JSON Schema into one row per field, for the reference tables: `spec.upstream.timeout`,
// `spec.tools[].risk`, `metadata.labels.<key>`. It reads plain JSON Schema (objects, arrays, records,
// enums, consts, patterns, bounds), so it documents whatever the TypeBox schemas publish.
import { code } from '../../compiler/src/util/markdown.ts';

/** The subset of JSON Schema the registry kinds use. */
export interface JsonSchema {
  readonly type?: string;
  readonly description?: string;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly JsonSchema[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly patternProperties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: boolean | JsonSchema;
}

/** One documented field. `notes` are its constraints, as short sentences. */
export interface FieldRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly description: string;
  readonly notes: readonly string[];
}

/** Every field under `schema`, depth first in declaration order, with paths relative to `prefix`. */
export function schemaFields(schema: JsonSchema, prefix = ''): FieldRow[] {
  const rows: FieldRow[] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    rows.push({
      path,
      type: typeText(child),
      required: schema.required?.includes(key) ?? false,
      description: descriptionOf(child),
      notes: notesOf(child),
    });
    rows.push(...nestedFields(child, path));
  }
  return rows;
}

/** The fields inside an object, a list of objects (`path[]`) or a map of objects (`path.<key>`). */
function nestedFields(schema: JsonSchema, path: string): FieldRow[] {
  if (schema.properties) return schemaFields(schema, path);
  if (schema.items) return nestedFields(schema.items, `${path}[]`);
  const values = mapValues(schema);
  return values ? nestedFields(values.schema, `${path}.<key>`) : [];
}

/** A const or enum value as written in YAML: strings bare, anything structured as JSON. */
function literalText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** A readable type: `string`, `list of object`, `map of string`, or the allowed values. */
export function typeText(schema: JsonSchema): string {
  if (schema.const !== undefined) return code(literalText(schema.const));
  if (schema.enum) return schema.enum.map((v) => code(literalText(v))).join(' | ');
  if (schema.anyOf) return schema.anyOf.map(typeText).join(' or ');
  if (schema.items) return `list of ${typeText(schema.items)}`;
  const values = mapValues(schema);
  if (values) return `map of ${typeText(values.schema)}`;
  return schema.type ?? 'any';
}

/** The field's own description; a list without one borrows its items'. */
function descriptionOf(schema: JsonSchema): string {
  return schema.description ?? (schema.items && !schema.items.properties ? schema.items.description : undefined) ?? '';
}

/** Constraints worth telling a reader: lengths, ranges, list sizes, readable patterns, map keys. */
function notesOf(schema: JsonSchema): string[] {
  const notes = constraints(schema).map((phrase) => `${capitalize(phrase)}.`);
  const items = bounds(schema.minItems, schema.maxItems, (n) => `${n} item${n === 1 ? '' : 's'}`);
  if (items) notes.push(`${capitalize(items)}.`);
  if (schema.items && !schema.items.properties) notes.push(...listed('Each item', constraints(schema.items)));
  const values = mapValues(schema);
  if (values) {
    if (values.keyPattern) notes.push(`Keys match ${code(values.keyPattern)}.`);
    notes.push(...listed('Values', constraints(values.schema)));
  }
  return notes;
}

/** A scalar's constraints as phrases: `1–63 characters`, `at least 0`, `matches <pattern>`. */
function constraints(schema: JsonSchema): string[] {
  const phrases: string[] = [];
  const length = bounds(schema.minLength, schema.maxLength, (n) => `${n} character${n === 1 ? '' : 's'}`);
  if (length) phrases.push(length);
  const range = bounds(schema.minimum, schema.maximum, String);
  if (range) phrases.push(range);
  if (schema.pattern && readablePattern(schema.pattern)) phrases.push(`matches ${code(schema.pattern)}`);
  return phrases;
}

function listed(label: string, phrases: readonly string[]): string[] {
  return phrases.length ? [`${label}: ${phrases.join(', ')}.`] : [];
}

/** `1–63 characters`, `at least 1 item`, `at most 2000 characters`. */
function bounds(min: number | undefined, max: number | undefined, unit: (n: number) => string): string | undefined {
  if (min !== undefined && max !== undefined) return `${min}–${unit(max)}`;
  if (min !== undefined) return `at least ${unit(min)}`;
  if (max !== undefined) return `at most ${unit(max)}`;
  return undefined;
}

/**
 * A pattern is shown when a person can read it at a glance. Long ones, lookaheads and character
 * escapes are left to the field's description, which must then say what is allowed.
 */
export function readablePattern(pattern: string): boolean {
  return pattern.length <= 40 && !/\(\?|\\x|\\u/.test(pattern);
}

/** A record's value schema and, if keys are constrained, their pattern. */
function mapValues(schema: JsonSchema): { schema: JsonSchema; keyPattern?: string } | undefined {
  const patterns = Object.entries(schema.patternProperties ?? {});
  const [first] = patterns;
  if (patterns.length === 1 && first) return { schema: first[1], keyPattern: first[0] };
  if (typeof schema.additionalProperties === 'object') return { schema: schema.additionalProperties };
  return undefined;
}

function capitalize(phrase: string): string {
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}
