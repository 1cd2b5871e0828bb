// Checks each parsed YAML document against its kind's JSON Schema and types it.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { API_VERSION } from '../schema/common.ts';
import { DOCUMENT_SCHEMAS, KINDS, isKind, type Kind } from '../schema/kinds.ts';
import type { NodePath, ParsedDocument } from '../source/parse-yaml.ts';
import { closest } from '../util/closest.ts';
import type { DocumentsByKind, RegistryDocument } from './registry-document.ts';

let validators: Record<Kind, ValidateFunction> | undefined;

function compiledValidators(): Record<Kind, ValidateFunction> {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    validators = Object.fromEntries(KINDS.map((kind) => [kind, ajv.compile(DOCUMENT_SCHEMAS[kind])])) as Record<Kind, ValidateFunction>;
  }
  return validators;
}

/** Validates every document; invalid ones are reported and left out of the result. */
/**
 * Validates every document; invalid ones are reported and left out of the result. `invalidNames`
 * lists the names of documents that exist but are invalid, so that references to them are not
 * reported a second time as dangling.
 */
export function validateSchemas(documents: readonly ParsedDocument[]): {
  value: DocumentsByKind;
  invalidNames: ReadonlyMap<Kind, ReadonlySet<string>>;
  diagnostics: Diagnostic[];
} {
  const byKind: { [K in Kind]: RegistryDocument<K>[] } = {
    McpServer: [],
    VirtualServer: [],
    Team: [],
    IdentityProvider: [],
    Grant: [],
    Gateway: [],
    CheckSettings: [],
    Guardrail: [],
  };
  const diagnostics: Diagnostic[] = [];
  const invalidNames = new Map<Kind, Set<string>>();
  for (const doc of documents) {
    const result = validateOne(doc);
    diagnostics.push(...result.diagnostics);
    if (result.document) {
      (byKind[result.document.kind] as RegistryDocument[]).push(result.document);
    } else {
      const record = (doc.value ?? {}) as { kind?: unknown; metadata?: { name?: unknown } };
      if (isKind(record.kind) && typeof record.metadata?.name === 'string') {
        let names = invalidNames.get(record.kind);
        if (!names) invalidNames.set(record.kind, (names = new Set()));
        names.add(record.metadata.name);
      }
    }
  }
  return { value: byKind, invalidNames, diagnostics };
}

function validateOne(doc: ParsedDocument): { document?: RegistryDocument; diagnostics: Diagnostic[] } {
  const value = doc.value;
  const error = (message: string, path: NodePath, hint?: string, key = false): Diagnostic => ({
    code: 'schema',
    severity: 'error',
    message,
    location: doc.locate(path, key),
    ...(hint ? { hint } : {}),
  });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { diagnostics: [error('a registry document must be a mapping with apiVersion, kind, metadata and spec', [])] };
  }
  const record = value as Record<string, unknown>;
  if (!isKind(record.kind)) {
    const kind = typeof record.kind === 'string' ? record.kind : JSON.stringify(record.kind);
    const got = record.kind === undefined ? 'no kind' : `kind "${kind}"`;
    const suggestion = typeof record.kind === 'string' ? closest(record.kind, KINDS) : undefined;
    return {
      diagnostics: [
        {
          code: 'unknown-kind',
          severity: 'error',
          message: `${got}: expected one of ${KINDS.join(', ')}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
          location: doc.locate(['kind']),
        },
      ],
    };
  }
  if (record.apiVersion !== API_VERSION) {
    return {
      diagnostics: [error(`apiVersion must be "${API_VERSION}" (got ${JSON.stringify(record.apiVersion ?? null)})`, ['apiVersion'])],
    };
  }
  const validate = compiledValidators()[record.kind];
  if (!validate(value)) {
    return { diagnostics: describeErrors(validate.errors ?? [], DOCUMENT_SCHEMAS[record.kind], doc, error) };
  }
  const metadata = record.metadata as { name: string };
  const kind = record.kind;
  return {
    document: {
      kind,
      name: metadata.name,
      spec: record.spec as RegistryDocument['spec'],
      file: doc.file,
      location: doc.locate(['metadata', 'name']),
      at: (path, key) => doc.locate(['spec', ...path], key),
    },
    diagnostics: [],
  };
}

type ErrorFactory = (message: string, path: NodePath, hint?: string, key?: boolean) => Diagnostic;

/** Turns ajv's errors into messages that name the field, say what is wrong and what is allowed. */
function describeErrors(errors: readonly ErrorObject[], schema: object, doc: ParsedDocument, error: ErrorFactory): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const path = pointerToPath(e.instancePath);
    const where = displayPath(path);
    const sub = schemaAt(schema, e.schemaPath);
    const description = typeof sub?.description === 'string' ? sub.description : undefined;
    switch (e.keyword) {
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        const known = Object.keys((sub?.properties as object | undefined) ?? {});
        const guess = closest(extra, known);
        out.push(
          error(
            `unknown field "${extra}"${where ? ` in ${where}` : ''}${guess ? ` (did you mean "${guess}"?)` : ''}`,
            [...path, extra],
            known.length ? `Allowed fields here: ${known.join(', ')}.` : undefined,
            true,
          ),
        );
        break;
      }
      case 'required':
        out.push(error(`missing required field "${(e.params as { missingProperty: string }).missingProperty}"${where ? ` in ${where}` : ''}`, path));
        break;
      case 'enum':
        out.push(
          error(
            `${where} must be one of ${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')} ` +
              `(got ${JSON.stringify(valueAt(doc.value, path))})`,
            path,
          ),
        );
        break;
      case 'const':
        out.push(error(`${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`, path));
        break;
      case 'pattern':
        out.push(error(`${where} ${JSON.stringify(valueAt(doc.value, path))} is not valid${description ? `: ${description}` : ''}`, path));
        break;
      case 'type':
        out.push(error(`${where || 'the document'} must be ${article((e.params as { type: string }).type)} (got ${typeName(valueAt(doc.value, path))})`, path));
        break;
      default:
        out.push(error(`${where || 'the document'} ${e.message ?? 'is not valid'}${description ? ` (${description})` : ''}`, path));
    }
  }
  return out;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `spec.tools[0].risk` style. */
export function displayPath(path: readonly (string | number)[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function schemaAt(schema: object, schemaPath: string): Record<string, unknown> | undefined {
  const parts = schemaPath.replace(/^#\//, '').split('/');
  parts.pop(); // the keyword itself
  let node: unknown = schema;
  for (const part of parts) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : undefined;
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let node = value;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
  };
  return names[type] ?? type;
}
