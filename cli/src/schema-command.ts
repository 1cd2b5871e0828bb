// `gatehouse schema`: writes the registry kinds' JSON Schemas, for editors (yaml-language-server).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DOCUMENT_SCHEMAS, KINDS } from '../../compiler/src/schema/kinds.ts';
import { parseFlags } from './args.ts';

export function run(argv: readonly string[]): number {
  const { values } = parseFlags(argv, { out: { type: 'string' } });
  if (values.help) {
    process.stdout.write('Usage: gatehouse schema [--out DIR]   (default: schemas/)\n');
    return 0;
  }
  const out = resolve(values.out ?? 'schemas');
  mkdirSync(out, { recursive: true });
  for (const kind of KINDS) {
    const path = join(out, `${kind}.schema.json`);
    writeFileSync(path, schemaJson(kind));
    process.stderr.write(`gatehouse schema: wrote ${path}\n`);
  }
  return 0;
}

/** A kind's JSON Schema as published: draft-07, with its $id. */
export function schemaJson(kind: (typeof KINDS)[number]): string {
  return `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...DOCUMENT_SCHEMAS[kind] }, null, 2)}\n`;
}
