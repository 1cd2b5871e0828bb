// Parses the JSON that `opa test --format json` and `opa test --coverage --format json` print.
import type { Checked, RegoCoverage, RegoTestResult } from './rego-facts.ts';

interface OpaTestJson {
  location?: { file?: string; row?: number; col?: number };
  package?: string;
  name?: string;
  fail?: boolean;
  error?: unknown;
}

interface OpaCoverageJson {
  coverage?: number;
  files?: Record<
    string,
    { coverage?: number; covered_lines?: number; not_covered_lines?: number; not_covered?: { start?: { row?: number }; end?: { row?: number } }[] }
  >;
}

/** The tests, or what opa said when it printed no test report (for example a compile error). */
export function parseOpaTests(stdout: string, stderr: string): Checked<RegoTestResult[]> {
  const json = parseJson(stdout);
  if (!Array.isArray(json)) return { problem: `opa test did not run: ${firstLines(stderr || stdout)}` };
  return {
    value: (json as OpaTestJson[]).map((t) => ({
      name: `${t.package ?? 'data'}.${t.name ?? '?'}`,
      location: { file: t.location?.file ?? 'policies', line: t.location?.row ?? 1, column: Math.max(1, t.location?.col ?? 1) },
      failed: t.fail === true || t.error !== undefined,
      ...(t.error !== undefined ? { error: errorText(t.error) } : {}),
    })),
  };
}

/**
 * The coverage report; opa prints none when a test fails. With `counts`, only the files it accepts are
 * reported, and the percentage is theirs (the lines their tests reach of all their lines).
 */
export function parseOpaCoverage(stdout: string, stderr: string, counts: (file: string) => boolean = () => true): Checked<RegoCoverage> {
  const json = parseJson(stdout) as OpaCoverageJson | undefined;
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { problem: `opa test --coverage gave no report: ${firstLines(stderr || stdout)}` };
  const counted = Object.entries(json.files ?? {}).filter(([file]) => counts(file));
  const everyFile = counted.length === Object.keys(json.files ?? {}).length;
  const files = counted
    .map(([file, f]) => ({
      file,
      percent: f.coverage ?? 0,
      notCovered: (f.not_covered ?? []).map((r) => ({ start: r.start?.row ?? 1, end: r.end?.row ?? r.start?.row ?? 1 })).sort((a, b) => a.start - b.start),
    }))
    .sort((a, b) => (a.file < b.file ? -1 : 1));
  if (everyFile) return { value: { percent: json.coverage ?? (files.length === 0 ? 100 : 0), files } };
  const covered = counted.reduce((sum, [, f]) => sum + (f.covered_lines ?? 0), 0);
  const total = covered + counted.reduce((sum, [, f]) => sum + (f.not_covered_lines ?? 0), 0);
  return { value: { percent: total === 0 ? 100 : (covered * 100) / total, files } };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'message' in error) return String(error.message);
  return JSON.stringify(error);
}

export function firstLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(0, count).join(' ').trim() || '(no output)';
}
