// Every code docs/diagnostics.md documents is one some source file emits: a catalogued code nothing emits
// is a dead promise to the reader (and a SARIF rule that never fires). `tsc` already refuses a code the
// catalogue lacks, because Diagnostic.code is the catalogue's key type; this is the other direction.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CODES, type DiagnosticCode } from '../../compiler/src/diagnostics/codes.ts';
import type { Diagnostic } from '../../compiler/src/diagnostics/diagnostic.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** The layers whose code runs for users; tests, fixtures and benchmarks emit nothing a user sees. */
const SOURCE_LAYERS = ['artifacts', 'compiler', 'xds-server', 'review', 'audit', 'toolchain', 'docgen', 'demo', 'cli'];
const CATALOGUE = 'compiler/src/diagnostics/codes.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The string literals a `code:` property can take, through `a ? 'x' : 'y'`, parentheses and `as`/`satisfies`. */
function literalValues(node: ts.Expression): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isConditionalExpression(node)) return [...literalValues(node.whenTrue), ...literalValues(node.whenFalse)];
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return literalValues(node.expression);
  return [];
}

/**
 * The literal values of `code:` properties in a source text: where a diagnostic (or a gate, whose code its
 * findings carry) is given its code. A code merely listed, compared or documented is not emitted.
 */
function emittedCodeLiterals(fileName: string, text: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && node.name.text === 'code') {
      found.push(...literalValues(node.initializer));
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
  return found;
}

describe('emittedCodeLiterals', () => {
  it('finds codes given to a code property, directly or through a conditional', () => {
    const text = `push({ code: 'a', severity: 'error' }); const d = { code: x ? ('b' as const) : 'c' };`;
    expect(emittedCodeLiterals('x.ts', text)).toEqual(['a', 'b', 'c']);
  });

  it('does not count a code that is only listed, compared, keyed or described', () => {
    const text = `const GATES = ['a'] as const; if (d.code === 'b') {} const levels = { 'c': 'error' }; const doc = 'see d';`;
    expect(emittedCodeLiterals('x.ts', text)).toEqual([]);
  });
});

describe('the diagnostic catalogue', () => {
  const emitters = new Map<string, Set<string>>();
  for (const layer of SOURCE_LAYERS) {
    for (const path of sourceFiles(join(ROOT, layer))) {
      const file = relative(ROOT, path);
      if (file === CATALOGUE) continue;
      for (const code of emittedCodeLiterals(file, readFileSync(path, 'utf8'))) emitters.set(code, (emitters.get(code) ?? new Set()).add(file));
    }
  }

  it('finds emitters in the compiler and in review (the scan reads the real sources)', () => {
    expect([...(emitters.get('no-registry') ?? [])]).toEqual(['compiler/src/pipeline/registry-stages.ts']);
    expect([...(emitters.get('base-not-compiled') ?? [])]).toEqual(['review/src/check/run-check.ts']);
  });

  it('is the only source of codes: a diagnostic with a code it lacks does not typecheck', () => {
    // tsc (npm test) fails if this line stops being an error, e.g. if Diagnostic.code became a plain string.
    // @ts-expect-error 'no-such-code' is not a DiagnosticCode
    const unknown: Diagnostic = { code: 'no-such-code', severity: 'error', message: 'never emitted' };
    expect(Object.keys(CODES)).not.toContain(unknown.code);
  });

  it('has no code that nothing emits', () => {
    const dead = (Object.keys(CODES) as DiagnosticCode[]).filter((code) => !emitters.has(code));
    const fix = 'Emit it, or remove it and run `node bin/gatehouse.mjs docs`';
    expect(dead, `catalogued in ${CATALOGUE} but emitted nowhere: ${dead.join(', ')}. ${fix}`).toEqual([]);
  });
});
