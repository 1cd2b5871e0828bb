import { describe, expect, it } from 'vitest';
import { readablePattern, schemaFields, typeText, type JsonSchema } from './schema-fields.ts';

const schema: JsonSchema = {
  type: 'object',
  required: ['name', 'items'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 63, description: 'The name.' },
    mode: { type: 'string', enum: ['a', 'b'], description: 'A mode.' },
    items: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 0, description: 'An id.' } } },
    },
    tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$', description: 'A tag.' } },
    labels: { type: 'object', patternProperties: { '^[a-z]+$': { type: 'string', maxLength: 9 } }, description: 'Labels.' },
  },
};

describe('schemaFields', () => {
  const rows = schemaFields(schema, 'spec');
  const row = (path: string) => rows.find((r) => r.path === path);

  it('lists nested fields with dotted paths, `[]` for list items, depth first', () => {
    expect(rows.map((r) => r.path)).toEqual(['spec.name', 'spec.mode', 'spec.items', 'spec.items[].id', 'spec.tags', 'spec.labels']);
  });

  it('marks required fields relative to their parent', () => {
    expect(row('spec.name')?.required).toBe(true);
    expect(row('spec.mode')?.required).toBe(false);
    expect(row('spec.items[].id')?.required).toBe(true);
  });

  it('names types, enums, lists and maps', () => {
    expect(row('spec.mode')?.type).toBe('`a` | `b`');
    expect(row('spec.items')?.type).toBe('list of object');
    expect(row('spec.tags')?.type).toBe('list of string');
    expect(row('spec.labels')?.type).toBe('map of string');
    expect(typeText({ const: 'v1' })).toBe('`v1`');
  });

  it('turns constraints into short sentences', () => {
    expect(row('spec.name')?.notes).toEqual(['1–63 characters.']);
    expect(row('spec.items')?.notes).toEqual(['At least 1 item.']);
    expect(row('spec.items[].id')?.notes).toEqual(['At least 0.']);
    expect(row('spec.tags')?.notes).toEqual(['Each item: matches `^[a-z]+$`.']);
    expect(row('spec.labels')?.notes).toEqual(['Keys match `^[a-z]+$`.', 'Values: at most 9 characters.']);
  });

  it('lets a list without a description borrow its items\'', () => {
    expect(row('spec.tags')?.description).toBe('A tag.');
  });

  it('shows only patterns a person can read at a glance', () => {
    expect(readablePattern('^[0-9]+(ms|s|m)$')).toBe(true);
    expect(readablePattern('^[a-z]([a-z0-9]|-(?!-)){0,61}[a-z0-9]$|^[a-z]$')).toBe(false);
    expect(readablePattern('^[\\x21\\x23-\\x5b]{1,128}$')).toBe(false);
  });
});
