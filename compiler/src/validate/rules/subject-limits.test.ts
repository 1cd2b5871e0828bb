import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SILENT } from '../../pipeline/progress.ts';
import { loadRegistry } from '../../pipeline/load-registry.ts';
import { EXAMPLE_ROOT, copyExampleRepo, tempDir } from '../../../../testkit/repo.ts';

const work = tempDir('gatehouse-subject-limits-lint-');
let runs = 0;
afterAll(() => work.remove());

/** The limits diagnostics (code, file, line) for the example with these `limits:` lines on the gateway and on helpdesk. */
function limitDiagnostics(gatewayLimits: string, helpdeskLimits = ''): string[] {
  const gatewayPath = 'registry/gateways/local.yaml';
  const helpdeskPath = 'registry/virtual-servers/helpdesk.yaml';
  const edits = {
    [gatewayPath]: `${readFileSync(join(EXAMPLE_ROOT, gatewayPath), 'utf8')}${gatewayLimits ? `  limits: ${gatewayLimits}\n` : ''}`,
    [helpdeskPath]: `${readFileSync(join(EXAMPLE_ROOT, helpdeskPath), 'utf8')}${helpdeskLimits ? `  limits: ${helpdeskLimits}\n` : ''}`,
  };
  const root = copyExampleRepo(join(work.path, String((runs += 1))), edits);
  return loadRegistry(root, SILENT).diagnostics
    .filter((d) => d.code === 'limits-burst-below-rate')
    .map((d) => `${d.location?.file ?? ''}:${String(d.location?.line)}`);
}

describe('per-subject limits', () => {
  it('refuses a burst below the call rate, where it is set, including one that only the override makes', () => {
    expect(limitDiagnostics('{ callsPerSecond: 50, burst: 100 }')).toEqual([]);
    expect(limitDiagnostics('{ callsPerSecond: 50, burst: 10 }')).toEqual([expect.stringMatching(/^registry\/gateways\/local\.yaml:\d+$/)]);
    // The gateway's burst (default 40) is below helpdesk's own rate.
    expect(limitDiagnostics('', '{ callsPerSecond: 100 }')).toEqual([expect.stringMatching(/^registry\/virtual-servers\/helpdesk\.yaml:\d+$/)]);
    expect(limitDiagnostics('', '{ callsPerSecond: 100, burst: 100 }')).toEqual([]);
  });
});
