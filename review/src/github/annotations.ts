// Diagnostics as check-run annotations: one per diagnostic that has a place, at path:line, and in
// batches of 50 (the most GitHub accepts in one request).
import type { Diagnostic } from '../../../compiler/src/diagnostics/diagnostic.ts';

export const ANNOTATIONS_PER_REQUEST = 50;

/** A check-run annotation, as the GitHub API takes it. */
export interface Annotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly start_column?: number;
  readonly end_column?: number;
  readonly annotation_level: 'notice' | 'warning' | 'failure';
  readonly title: string;
  readonly message: string;
  readonly raw_details?: string;
}

const LEVEL = { error: 'failure', warning: 'warning', info: 'notice' } as const;

export function toAnnotations(diagnostics: readonly Diagnostic[]): Annotation[] {
  return diagnostics
    .filter((d): d is Diagnostic & { location: NonNullable<Diagnostic['location']> } => d.location !== undefined)
    .map((d) => ({
      path: d.location.file,
      start_line: d.location.line,
      end_line: d.location.line,
      start_column: d.location.column,
      end_column: d.location.column,
      annotation_level: LEVEL[d.severity],
      title: `gatehouse ${d.code}`.slice(0, 255),
      message: d.message.slice(0, 64_000),
      ...(d.hint ? { raw_details: d.hint.slice(0, 64_000) } : {}),
    }));
}

/** Splits a list into batches of at most `size`. */
export function batches<T>(items: readonly T[], size = ANNOTATIONS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
