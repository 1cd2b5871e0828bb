// The preflight report in each output format, compared with the files in golden/ (update with
// `npx vitest run test/preflight/render.test.ts -u`, then review the diff).
import { describe, expect, it } from 'vitest';
import { PREFLIGHT_FORMATS, renderPreflight } from '../../review/src/preflight/render.ts';
import { PREFLIGHT_FORMAT, type PreflightReport } from '../../review/src/preflight/report.ts';

const REPORT: PreflightReport = {
  format: PREFLIGHT_FORMAT,
  summary: { passed: 1, failed: 1, notApplicable: 1 },
  points: [
    { id: 'sso-rbac-mapping', title: 'SSO/RBAC mapping', status: 'passed', evidence: ['team payments ← corporate-sso:payments-ops'] },
    {
      id: 'break-glass',
      title: 'Break-glass procedure declared',
      status: 'failed',
      evidence: ['the procedure docs/emergency.md does not exist', 'contacts: #sec-incident | <oncall>'],
      fix: 'Commit the procedure at the declared path.',
    },
    { id: 'security-isolation', title: 'Isolation of restricted servers', status: 'not-applicable', evidence: ['no server is classified restricted'] },
  ],
};

describe('renderPreflight', () => {
  it.each(PREFLIGHT_FORMATS)('renders %s', async (format) => {
    const extension = { text: 'txt', json: 'json', markdown: 'md', html: 'html' }[format];
    await expect(renderPreflight(REPORT, format)).toMatchFileSnapshot(`golden/preflight.${extension}`);
  });

  it('escapes what the evidence holds: HTML markup, Markdown table pipes', () => {
    expect(renderPreflight(REPORT, 'html')).toContain('contacts: #sec-incident | &lt;oncall&gt;');
    expect(renderPreflight(REPORT, 'markdown')).toContain('contacts: #sec-incident \\| &lt;oncall>');
  });
});
