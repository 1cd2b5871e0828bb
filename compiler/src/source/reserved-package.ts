// Package `gatehouse` is Gatehouse's: the base policy lives there. A repository's Rego may add to
// `gatehouse.org` (the organisation rules the decision reads) and test it in `gatehouse.org_test`,
// but any other package under `gatehouse` would merge into, or conflict with, the base policy.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { SourceFile } from './read-tree.ts';

const ALLOWED = /^gatehouse\.(org|org_test)(\.|$)/;

/** The package a Rego file declares and its line, if any. */
export function declaredPackage(text: string): { name: string; line: number } | undefined {
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    const match = /^\s*package\s+([\w.[\]"]+)/.exec(line);
    if (match?.[1]) return { name: match[1], line: index + 1 };
  }
  return undefined;
}

/** An error for each repository file whose package is under `gatehouse` but not `gatehouse.org`. */
export function reservedPackageDiagnostics(files: readonly SourceFile[]): Diagnostic[] {
  return files.flatMap((file): Diagnostic[] => {
    const declared = declaredPackage(file.text ?? '');
    if (!declared) return [];
    const reserved = declared.name === 'gatehouse' || (declared.name.startsWith('gatehouse.') && !ALLOWED.test(declared.name));
    if (!reserved) return [];
    return [
      {
        code: 'reserved-package',
        severity: 'error',
        message: `${file.path} declares package ${declared.name}, inside Gatehouse's reserved namespace gatehouse`,
        location: { file: file.path, line: declared.line, column: 1 },
        hint:
          'Put organisation rules in package gatehouse.org (tests in gatehouse.org_test), or use a package outside gatehouse. ' +
          'The base policy (gatehouse.authz, gatehouse.access, ...) ships inside the Gatehouse package: ' +
          'delete any copy of it from policies/ (see docs/upgrading.md).',
      },
    ];
  });
}
