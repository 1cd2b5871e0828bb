// A purpose-built bad registry for `gatehouse preflight`: the production example organisation
// (examples/templates) with one defect per checklist point. Each edit replaces one text in one file.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';

export const TEMPLATES_ROOT = join(PROJECT_ROOT, 'examples', 'templates');

interface Defect {
  /** The checklist point the defect makes fail. */
  readonly point: string;
  readonly file: string;
  /** The text replaced, and its replacement; `to: null` deletes the file. */
  readonly from?: string;
  readonly to: string | null;
}

export const DEFECTS: readonly Defect[] = [
  {
    point: 'sso-rbac-mapping', file: 'registry/teams/support.yaml',
    from: 'idpGroups:\n    - provider: corporate-sso\n      group: support-agents', to: 'idpGroups: []',
  },
  { point: 'audit-retention', file: 'registry/gateways/edge.yaml', from: 'maxAge: 400d', to: 'maxAge: 30d' },
  { point: 'data-sovereignty', file: 'registry/mcp-servers/docs.yaml', from: 'region: eu-west-1', to: 'region: us-east-1' },
  { point: 'cost-attribution', file: 'registry/teams/engineering.yaml', from: '  costCenter: CC-3300\n', to: '' },
  { point: 'trace-correlation', file: 'registry/gateways/restricted.yaml', from: 'samplingPercent: 100', to: 'samplingPercent: 0' },
  {
    point: 'security-isolation', file: 'registry/gateways/edge.yaml',
    from: 'virtualServers: [helpdesk, knowledge]', to: 'virtualServers: [helpdesk, knowledge, payments-ops]',
  },
  { point: 'mtls', file: 'registry/mcp-servers/docs.yaml', from: 'https://docs.eu-west-1.internal/mcp', to: 'http://docs.eu-west-1.internal/mcp' },
  { point: 'pii-guardrails', file: 'registry/mcp-servers/tickets.yaml', from: 'arguments: digest', to: 'arguments: raw' },
  { point: 'tools-pinned', file: 'tools.lock.yaml', to: null },
  { point: 'rego-coverage', file: 'registry/check-settings/checks.yaml', from: 'coverageThreshold: 90', to: 'coverageThreshold: 100' },
  {
    point: 'rego-coverage', file: 'policies/org/untested.rego',
    to: 'package gatehouse.org\n\nimport data.gatehouse.request\n\n' +
      'deny contains "the legacy wiki is read-only" if {\n\trequest.method == "tools/call"\n\trequest.server == "legacy-wiki"\n}\n',
  },
  { point: 'break-glass', file: 'registry/check-settings/checks.yaml', from: 'procedure: docs/break-glass.md', to: 'procedure: docs/emergency.md' },
];
// artifacts-signed: the bad organisation's artifacts are compiled without a signing key (see the test).

/** Copies examples/templates into `into` and applies every defect. */
export function writeBadOrg(into: string): string {
  cpSync(TEMPLATES_ROOT, into, { recursive: true });
  for (const defect of DEFECTS) {
    const path = join(into, defect.file);
    if (defect.to === null) rmSync(path);
    else if (defect.from === undefined) writeFileSync(path, defect.to);
    else {
      const text = readFileSync(path, 'utf8');
      const edited = text.replace(defect.from, defect.to);
      if (edited === text) throw new Error(`defect for ${defect.point}: "${defect.from}" is not in ${defect.file}`);
      writeFileSync(path, edited);
    }
  }
  return into;
}
