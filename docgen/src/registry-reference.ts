// docs/registry-reference.md: every registry kind with an example and a table of its fields, generated
// from the same schemas that validate the registry and that editors load.
import { aggregatedNaming } from './aggregated-naming.ts';
import { API_VERSION } from '../../compiler/src/schema/common.ts';
import { DOCUMENT_SCHEMAS, KINDS, type Kind } from '../../compiler/src/schema/kinds.ts';
import { defaultFor } from './field-defaults.ts';
import { KIND_EXAMPLES } from './kind-examples.ts';
import { code, codeBlock, generatedNotice, headingAnchor, table } from '../../compiler/src/util/markdown.ts';
import { schemaFields, type FieldRow, type JsonSchema } from './schema-fields.ts';

/** The whole page. Pure: the same schemas always give the same text. */
export function renderRegistryReference(): string {
  const sections = [intro(), envelope(), ...KINDS.map(kindSection), aggregatedNaming()];
  return `${sections.join('\n\n')}\n`;
}

/** A kind's document schema as plain JSON Schema (TypeBox's symbols dropped). */
export function documentJsonSchema(kind: Kind): JsonSchema {
  return JSON.parse(JSON.stringify(DOCUMENT_SCHEMAS[kind])) as JsonSchema;
}

/** The envelope table covers every kind, so its `kind` row cannot use one kind's description. */
const KIND_DESCRIPTION = 'The kind of document, which decides the fields of `spec` (see its section below).';

/** The shape every document shares, as the intro shows it. */
const DOCUMENT_SHAPE = [
  `apiVersion: ${API_VERSION}`,
  `kind: McpServer          # one of ${KINDS.join(', ')}`,
  'metadata:',
  '  name: tickets          # unique among the documents of its kind',
  'spec:',
  '  ...                    # the fields of the kind, below',
].join('\n');

const isSpec = (row: FieldRow) => row.path === 'spec' || row.path.startsWith('spec.');

function intro(): string {
  const kinds = KINDS.map((kind) => `[${kind}](#${headingAnchor(kind)})`).join(', ');
  return `# Registry reference

${generatedNotice('the registry schemas (compiler/src/schema)')}

The registry is a folder of YAML files under \`registry/\`. Each file holds one or more documents
(separated by \`---\`), and each document declares one object of a kind: ${kinds}. Folders are up to
you; the example registry keeps one folder per kind, one file per document.

Every document has the same shape:

${codeBlock('yaml', DOCUMENT_SHAPE)}

- \`apiVersion\` is always \`${API_VERSION}\`.
- \`metadata.name\` is a DNS label: lowercase letters, digits and single hyphens, starting with a
  letter and ending with a letter or digit, at most 63 characters. Names end up in Envoy resource
  names, in URL paths (\`/mcp/<virtual server>\`) and in client-facing tool names, where
  \`<server>__<tool>\` uses \`__\` as the separator, so a name can never contain \`__\`.
- Other documents refer to a document by its name (a grant's \`access[].server\`, a team's \`idpGroups[].provider\`);
  \`gatehouse lint\` reports names that do not exist.

**Editor support.** \`gatehouse schema\` writes a JSON Schema per kind to \`schemas/\`. Start a file
with the line \`# yaml-language-server: $schema=../../schemas/<Kind>.schema.json\` (the path relative to
the file) and editors with the YAML language server complete and check it as you type.

**Reading the tables.** \`a.b\` is field \`b\` inside \`a\`; \`a[]\` is each item of the list \`a\`;
\`a.<key>\` is any key of the map \`a\`. *Required* means required whenever the enclosing object is
present. *Default* is the value Gatehouse uses when the field is left out.`;
}

/** The fields every document shares: apiVersion, kind, metadata (and the optional $schema). */
function envelope(): string {
  const rows = schemaFields(documentJsonSchema(KINDS[0] as Kind))
    .filter((row) => !isSpec(row))
    .map((row) => (row.path === 'kind' ? { ...row, type: KINDS.map(code).join(' | '), description: KIND_DESCRIPTION } : row));
  return `## Common fields\n\n${fieldTable(undefined, rows)}`;
}

function kindSection(kind: Kind): string {
  const schema = documentJsonSchema(kind);
  const example = KIND_EXAMPLES[kind];
  const yaml = `# yaml-language-server: $schema=../../schemas/${kind}.schema.json\n${example.yaml.trimStart()}`;
  return [
    `## ${kind}`,
    schema.description ?? '',
    `JSON Schema: [\`schemas/${kind}.schema.json\`](../schemas/${kind}.schema.json). Example, \`${example.file}\`:`,
    codeBlock('yaml', yaml),
    fieldTable(kind, schemaFields(schema).filter(isSpec)),
  ].join('\n\n');
}

function fieldTable(kind: Kind | undefined, rows: readonly FieldRow[]): string {
  return table(
    ['Field', 'Type', 'Required', 'Default', 'Description'],
    rows.map((row) => {
      const fallback = kind ? defaultFor(kind, row.path) : undefined;
      return [
        code(row.path),
        row.type,
        row.required ? 'yes' : 'no',
        fallback === undefined ? '' : code(fallback),
        [row.description, ...row.notes].filter(Boolean).join(' '),
      ];
    }),
  );
}
