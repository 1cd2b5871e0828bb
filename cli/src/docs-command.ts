// `gatehouse docs`: writes the reference pages generated from the schemas and the diagnostic catalogue.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GENERATED_DOCS } from '../../docgen/src/generated-docs.ts';
import { parseFlags } from './args.ts';

export function run(argv: readonly string[]): number {
  const { values } = parseFlags(argv, { out: { type: 'string' } });
  if (values.help) {
    process.stdout.write('Usage: gatehouse docs [--out DIR]   (default: docs/)\n');
    return 0;
  }
  const out = resolve(values.out ?? 'docs');
  mkdirSync(out, { recursive: true });
  for (const doc of GENERATED_DOCS) {
    const path = join(out, doc.file);
    writeFileSync(path, doc.render());
    process.stderr.write(`gatehouse docs: wrote ${path}\n`);
  }
  return 0;
}
