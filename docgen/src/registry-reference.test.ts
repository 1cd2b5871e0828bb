import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../compiler/src/resolve/defaults.ts';
import { DOCUMENT_SCHEMAS, KINDS } from '../../compiler/src/schema/kinds.ts';
import { FIELD_DEFAULTS, type DefaultName } from './field-defaults.ts';
import { KIND_EXAMPLES } from './kind-examples.ts';
import { documentJsonSchema, renderRegistryReference } from './registry-reference.ts';
import { schemaFields } from './schema-fields.ts';

const page = renderRegistryReference();

/** The text of the `## heading` section. */
function section(heading: string): string {
  const start = page.indexOf(`\n## ${heading}\n`);
  expect(start, `section ${heading}`).toBeGreaterThan(-1);
  const end = page.indexOf('\n## ', start + 1);
  return page.slice(start, end === -1 ? undefined : end);
}

describe('renderRegistryReference', () => {
  it('documents every field of every kind, in that kind\'s section (the envelope under Common fields)', () => {
    for (const kind of KINDS) {
      for (const row of schemaFields(documentJsonSchema(kind))) {
        const where = row.path === 'spec' || row.path.startsWith('spec.') ? kind : 'Common fields';
        expect(section(where), `${kind} ${row.path}`).toContain(`| \`${row.path}\` |`);
      }
    }
  });

  it('has a description for every field (add one to the schema when this fails)', () => {
    const missing = KINDS.flatMap((kind) => schemaFields(documentJsonSchema(kind)).filter((r) => !r.description).map((r) => `${kind} ${r.path}`));
    expect(missing).toEqual([]);
  });

  it('shows each kind\'s example, and the example is a valid document of that kind', () => {
    const ajv = new Ajv({ strict: false });
    for (const kind of KINDS) {
      const example = KIND_EXAMPLES[kind];
      const value = parse(example.yaml) as { kind?: unknown };
      expect(value.kind).toBe(kind);
      const validate = ajv.compile(DOCUMENT_SCHEMAS[kind]);
      expect(validate(value), `${kind} example: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(section(kind)).toContain(example.yaml.trim());
    }
  });

  it('is deterministic', () => {
    expect(renderRegistryReference()).toBe(page);
  });
});

describe('FIELD_DEFAULTS', () => {
  it('places every registry default on a field', () => {
    const used = new Set(KINDS.flatMap((kind) => Object.values(FIELD_DEFAULTS[kind])));
    expect(Object.keys(DEFAULTS).filter((name) => !used.has(name as DefaultName))).toEqual([]);
  });

  it('names optional fields that exist', () => {
    for (const kind of KINDS) {
      const rows = schemaFields(documentJsonSchema(kind));
      for (const path of Object.keys(FIELD_DEFAULTS[kind])) {
        expect(rows.find((r) => r.path === path)?.required, `${kind} ${path}`).toBe(false);
      }
    }
  });

  it('agrees with any default a field description states', () => {
    for (const kind of KINDS) {
      const rows = schemaFields(documentJsonSchema(kind));
      for (const [path, name] of Object.entries(FIELD_DEFAULTS[kind])) {
        const description = rows.find((r) => r.path === path)?.description ?? '';
        if (!/\bDefault\b/.test(description)) continue;
        const value: unknown = DEFAULTS[name];
        for (const item of Array.isArray(value) ? value : [value]) expect(description, `${kind} ${path}`).toContain(String(item));
      }
    }
  });
});
