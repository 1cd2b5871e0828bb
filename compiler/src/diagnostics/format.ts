// Diagnostics as text (for people), JSON (for tools) and SARIF 2.1.0 (for code scanning).
import { VERSION } from '../version.ts';
import { describeCode } from './codes.ts';
import type { Diagnostic } from './diagnostic.ts';

export type DiagnosticFormat = 'text' | 'json' | 'sarif';

export function formatDiagnostics(diagnostics: readonly Diagnostic[], format: DiagnosticFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ diagnostics, summary: summary(diagnostics) }, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(sarif(diagnostics), null, 2)}\n`;
    case 'text':
      return text(diagnostics);
  }
}

function summary(diagnostics: readonly Diagnostic[]) {
  return {
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
}

/** `file:line:col: severity [code] message`, then the hint indented, then a count. */
function text(diagnostics: readonly Diagnostic[]): string {
  const lines = diagnostics.map((d) => {
    const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.column}: ` : '';
    return `${where}${d.severity} [${d.code}] ${d.message}${d.hint ? `\n    ${d.hint}` : ''}`;
  });
  const { errors, warnings } = summary(diagnostics);
  lines.push(errors + warnings === 0 ? 'no problems found' : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

function sarif(diagnostics: readonly Diagnostic[]) {
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gatehouse',
            version: VERSION,
            informationUri: 'https://github.com/gatehouse-dev/gatehouse',
            rules: codes.map((code) => {
              const doc = describeCode(code);
              return { id: code, name: code, shortDescription: { text: doc.title }, fullDescription: { text: doc.description }, helpUri: `https://github.com/gatehouse-dev/gatehouse/blob/main/docs/diagnostics.md#${code}` };
            }),
          },
        },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: codes.indexOf(d.code),
          level: d.severity === 'info' ? 'note' : d.severity,
          message: { text: d.hint ? `${d.message}. ${d.hint}` : d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: d.location?.file ?? '.', uriBaseId: '%SRCROOT%' },
                region: { startLine: d.location?.line ?? 1, startColumn: d.location?.column ?? 1 },
              },
            },
          ],
        })),
      },
    ],
  };
}
