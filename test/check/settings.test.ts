// CheckSettings: defaults when the registry has none, the example's values, and diagnostics for bad
// settings at file:line (an unknown gate, a bad level, a second document).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../compiler/src/pipeline/load-registry.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { copyExampleRepo, EXAMPLE_ROOT, tempDir } from '../../testkit/repo.ts';
import { GATE_DEFAULTS } from '../../compiler/src/schema/check-settings.ts';

const work = tempDir('gatehouse-settings-');
afterAll(() => work.remove());
const SETTINGS = 'registry/check-settings/checks.yaml';

describe('CheckSettings', () => {
  it('resolves the example settings, keeping the defaults of gates it leaves out', () => {
    const settings = loadRegistry(EXAMPLE_ROOT, SILENT).ir!.checkSettings;
    expect(settings).toMatchObject({
      regoCoverageThreshold: 90,
      allowedHosts: ['*.internal', '127.0.0.1', 'localhost'],
      allowedRegions: ['eu-*'],
      highRisk: ['high', 'critical'],
      source: { file: SETTINGS, line: 7 },
    });
    expect(settings.gates).toEqual({ ...GATE_DEFAULTS, 'missing-owner-or-cost-center': 'error' });
  });

  it('defaults every field when the registry has no CheckSettings', () => {
    const root = copyExampleRepo(join(work.path, 'none'), { [SETTINGS]: null });
    expect(loadRegistry(root, SILENT).ir!.checkSettings).toEqual({
      gates: GATE_DEFAULTS,
      regoCoverageThreshold: 90,
      allowedHosts: [],
      allowedRegions: [],
      highRisk: ['high', 'critical'],
      sharedSecretRefs: [],
    });
  });

  const bad = (name: string, edits: Record<string, string>) => loadRegistry(copyExampleRepo(join(work.path, name), edits), SILENT).diagnostics;
  const settingsWith = (spec: string) => `apiVersion: gatehouse.dev/v1alpha1\nkind: CheckSettings\nmetadata:\n  name: checks\nspec:\n${spec}`;

  it('reports an unknown gate at its line, suggesting the closest code', () => {
    const diagnostics = bad('unknown-gate', { [SETTINGS]: settingsWith('  gates:\n    default-alow: off\n') });
    expect(diagnostics).toMatchObject([{ code: 'schema', location: { file: SETTINGS, line: 7 } }]);
    expect(diagnostics[0]?.message).toContain('unknown field "default-alow" in spec.gates (did you mean "default-allow"?)');
  });

  it('reports a level that is not error, warning or off', () => {
    const diagnostics = bad('bad-level', { [SETTINGS]: settingsWith('  gates:\n    rego-lint: fatal\n') });
    expect(diagnostics).toMatchObject([{ code: 'schema', location: { line: 7 } }]);
    expect(diagnostics[0]?.message).toContain('spec.gates.rego-lint must be one of error, warning, off');
  });

  it('reports a coverage threshold above 100 and an empty high-risk list', () => {
    const diagnostics = bad('bad-values', { [SETTINGS]: settingsWith('  rego:\n    coverageThreshold: 150\n  highRisk: []\n') });
    expect(diagnostics.map((d) => [d.code, d.location?.line])).toEqual([
      ['schema', 7],
      ['schema', 8],
    ]);
  });

  it('reports a second CheckSettings document at its name', () => {
    const second = settingsWith('  rego:\n    coverageThreshold: 80\n').replace('name: checks', 'name: more-checks');
    expect(bad('two', { 'registry/check-settings/more.yaml': second })).toMatchObject([
      { code: 'duplicate-check-settings', severity: 'error', location: { file: 'registry/check-settings/more.yaml', line: 4 } },
    ]);
  });
});
