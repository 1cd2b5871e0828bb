import { describe, expect, it } from 'vitest';
import { CODES } from '../../compiler/src/diagnostics/codes.ts';
import { renderDiagnosticsReference } from './diagnostics-reference.ts';
import { headingAnchor } from '../../compiler/src/util/markdown.ts';

describe('renderDiagnosticsReference', () => {
  const page = renderDiagnosticsReference();
  const headings = page.split('\n').filter((line) => line.startsWith('## ')).map((line) => line.slice(3));

  it('has one section per code, in catalogue order', () => {
    expect(headings).toEqual(Object.keys(CODES));
  });

  it('anchors each section at #<code>, where SARIF help links point', () => {
    for (const code of Object.keys(CODES)) {
      expect(headingAnchor(code), code).toBe(code);
      expect(page).toContain(`](#${code})`);
    }
  });

  it('gives each code its title and description', () => {
    for (const [code, doc] of Object.entries(CODES)) {
      expect(page).toContain(`## ${code}\n\n**${doc.title}.** ${doc.description}`);
    }
  });
});
