// Diagnostics: what every stage reports instead of throwing when the user's input is wrong.
import type { DiagnosticCode } from './codes.ts';

export type Severity = 'error' | 'warning' | 'info';

/** A place in a source file, 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One finding, with a stable code, a message a person can act on, and where it is. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly location?: SourceLocation;
  /** What to do about it, when the message alone does not say. */
  readonly hint?: string;
}

/** The result of a pure stage: a value when the stage could produce one, and what it found. */
export interface Staged<T> {
  readonly value: T | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, line, column, then code, so output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.location?.file ?? '';
    const fb = b.location?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const line = (a.location?.line ?? 0) - (b.location?.line ?? 0);
    if (line !== 0) return line;
    const column = (a.location?.column ?? 0) - (b.location?.column ?? 0);
    if (column !== 0) return column;
    if (a.code !== b.code) return a.code < b.code ? -1 : 1;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}

/** Removes exact duplicates (same code, message and place). */
export function dedupeDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}\0${d.message}\0${d.location?.file}\0${d.location?.line}\0${d.location?.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
