// Golden tests at the stage boundaries: registry → diagnostics, → IR, → policy data, audit catalog, → xDS per fleet.
// Each case is a small repository under cases/<name>/ (the example registry is the case "example");
// its expected outputs sit in cases/<name>/expected/. `npm run test:update-golden` rewrites them.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../compiler/src/diagnostics/format.ts';
import { buildPolicyData } from '../../compiler/src/emit/policy/policy-data.ts';
import { translateFleets } from '../../compiler/src/emit/xds/translate.ts';
import { loadRegistry } from '../../compiler/src/pipeline/load-registry.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { goldenCases } from './cases.ts';
import { canonicalJson, expectGolden, UPDATING } from '../harness/golden.ts';
import { buildAuditCatalog } from '../../compiler/src/emit/audit/build-audit-catalog.ts';
import { buildIdentityTable } from '../../compiler/src/emit/upstream-identity/build-identity-table.ts';

describe('golden outputs per stage', () => {
  for (const c of goldenCases) {
    it(`${c.name}: diagnostics, IR, policy data and xDS match the golden files`, () => {
      const loaded = loadRegistry(c.root, SILENT);
      const produced = new Set<string>();
      const check = (file: string, text: string) => {
        produced.add(file);
        expectGolden(text, join(c.expected, file));
      };
      check('diagnostics.txt', formatDiagnostics(loaded.diagnostics, 'text'));
      if (loaded.ir) {
        check('ir.json', canonicalJson(loaded.ir));
        check('policy-data.json', canonicalJson(buildPolicyData(loaded.ir)));
        check('audit-catalog.json', canonicalJson(buildAuditCatalog(loaded.ir)));
        for (const fleet of translateFleets(loaded.ir)) check(`xds-${fleet.fleet}.json`, `${JSON.stringify(fleet, null, 2)}\n`);
        if (loaded.ir.servers.some((s) => s.identity)) check('upstream-identities.json', canonicalJson(buildIdentityTable(loaded.ir)));
      }
      // No stale golden files: every expected file must still be produced.
      if (!UPDATING && existsSync(c.expected)) {
        expect(readdirSync(c.expected).filter((f) => !produced.has(f))).toEqual([]);
      }
    });
  }
});
