import { describe, expect, it } from 'vitest';
import { renderCheckMarkdown, REPORT_MARKER } from './render-markdown.ts';
import { REPORT_FORMAT, type CheckReport } from './report.ts';

const many = (n: number): CheckReport => ({
  format: REPORT_FORMAT,
  base: { ref: 'main', commit: 'b'.repeat(40) },
  summary: { errors: n, warnings: 0 },
  gates: [],
  diagnostics: Array.from({ length: n }, (_, i) => ({
    code: 'rego-lint',
    severity: 'error' as const,
    message: `finding ${i} ${'x'.repeat(200)}`,
    location: { file: 'policies/a.rego', line: i + 1, column: 1 },
  })),
  highRisk: ['high', 'critical'],
  access: {
    changes: Array.from({ length: n }, (_, i) => ({
      subject: `team:t${String(i).padStart(4, '0')}`,
      change: 'gained' as const,
      server: 's',
      tool: 't',
      risk: 'low',
      owner: null,
    })),
  },
  config: { changes: [] },
  reviewers: [],
});

describe('renderCheckMarkdown', () => {
  it('starts with the marker and is deterministic', () => {
    const report = many(3);
    expect(renderCheckMarkdown(report).startsWith(`${REPORT_MARKER}\n`)).toBe(true);
    expect(renderCheckMarkdown(report)).toBe(renderCheckMarkdown(report));
  });

  it('cuts long tables to fit GitHub\'s limit, saying how many rows are left out', () => {
    const text = renderCheckMarkdown(many(2000), { maxLength: 65_536 });
    expect(text.length).toBeLessThanOrEqual(65_536);
    expect(text).toMatch(/… and \d+ more access changes/);
    expect(text).toMatch(/… and \d+ more findings; the check run lists them all\./);
  });

  it('escapes table cells', () => {
    const report = many(1);
    const text = renderCheckMarkdown({ ...report, diagnostics: [{ ...report.diagnostics[0]!, message: 'a | b\nc' }] });
    expect(text).toContain('a \\| b<br>c');
  });
});
