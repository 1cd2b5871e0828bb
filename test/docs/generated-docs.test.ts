// Gen-check: the committed JSON Schemas and reference pages are what the generators produce now, and
// the example registry's editor schema comments point at the right schema, which accepts the files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { schemaJson } from '../../cli/src/schema-command.ts';
import { GENERATED_DOCS } from '../../docgen/src/generated-docs.ts';
import { isKind, KINDS, type Kind } from '../../compiler/src/schema/kinds.ts';
import { parseRegistryFiles } from '../../compiler/src/source/parse-yaml.ts';
import { readTree } from '../../compiler/src/source/read-tree.ts';
import { validateSchemas } from '../../compiler/src/validate/validate-schema.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const REGENERATE = 'run `node bin/gatehouse.mjs schema && node bin/gatehouse.mjs docs` and commit the result';
const MODELINE = /^# yaml-language-server: \$schema=(\S+)\s*$/m;

function committed(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

describe('generated files are up to date', () => {
  it('schemas/ holds exactly the current JSON Schema of each kind', () => {
    for (const kind of KINDS) {
      expect(committed(join(ROOT, 'schemas', `${kind}.schema.json`)), `schemas/${kind}.schema.json is stale: ${REGENERATE}`).toBe(schemaJson(kind));
    }
    const expected = KINDS.map((kind) => `${kind}.schema.json`).sort();
    expect(readdirSync(join(ROOT, 'schemas')).sort(), `schemas/ has files no kind produces: ${REGENERATE}`).toEqual(expected);
  });

  for (const doc of GENERATED_DOCS) {
    it(`docs/${doc.file} is current`, () => {
      expect(committed(join(ROOT, 'docs', doc.file)), `docs/${doc.file} is stale: ${REGENERATE}`).toBe(doc.render());
    });
  }
});

describe('the example registry and its editor schemas', () => {
  const files = readTree(ROOT).files.filter((f) => f.kind === 'registry');
  const ajv = new Ajv({ strict: false });
  const published = new Map<Kind, ValidateFunction>();
  const validatorFor = (kind: Kind) => {
    let validate = published.get(kind);
    if (!validate) {
      validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', `${kind}.schema.json`), 'utf8')) as object);
      published.set(kind, validate);
    }
    return validate;
  };

  it('has registry files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`${file.path}: the $schema comment names its kind's published schema, which accepts it`, () => {
      const text = file.text ?? '';
      const modeline = MODELINE.exec(text)?.[1];
      expect(modeline, `${file.path} has no "# yaml-language-server: $schema=…" line`).toBeDefined();
      const target = resolve(dirname(join(ROOT, file.path)), modeline ?? '');
      expect(existsSync(target), `${file.path}: ${modeline} does not exist`).toBe(true);
      const documents = parseAllDocuments(text).map((d) => d.toJS() as { kind?: unknown });
      expect(documents.length).toBeGreaterThan(0);
      for (const document of documents) {
        expect(isKind(document.kind), `${file.path}: kind ${String(document.kind)}`).toBe(true);
        const kind = document.kind as Kind;
        expect(target, `${file.path}: a ${kind} must point at schemas/${kind}.schema.json`).toBe(join(ROOT, 'schemas', `${kind}.schema.json`));
        const validate = validatorFor(kind);
        expect(validate(document), `${file.path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      }
    });
  }

  it('Gatehouse accepts the same files the editors do', () => {
    const parsed = parseRegistryFiles(files);
    expect(parsed.diagnostics).toEqual([]);
    expect(validateSchemas(parsed.value ?? []).diagnostics).toEqual([]);
  });
});
