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
  files?: Record<string, { coverage?: number; not_covered?: { start?: { row?: number }; end?: { row?: number } }[] }>;
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

/** The coverage report; opa prints none when a test fails. */
export function parseOpaCoverage(stdout: string, stderr: string): Checked<RegoCoverage> {
  const json = parseJson(stdout) as OpaCoverageJson | undefined;
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { problem: `opa test --coverage gave no report: ${firstLines(stderr || stdout)}` };
  const files = Object.entries(json.files ?? {})
    .map(([file, f]) => ({
      file,
      percent: f.coverage ?? 0,
      notCovered: (f.not_covered ?? []).map((r) => ({ start: r.start?.row ?? 1, end: r.end?.row ?? r.start?.row ?? 1 })).sort((a, b) => a.start - b.start),
    }))
    .sort((a, b) => (a.file < b.file ? -1 : 1));
  return { value: { percent: json.coverage ?? (files.length === 0 ? 100 : 0), files } };
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
