// The control plane serves the example organisation as an MCP Registry (v0.1), read with plain fetch
// as an editor would; then `gatehouse import` of one served entry gives a McpServer that lints.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileExample } from '../../testkit/compiled-example.ts';
import { copyExampleRepo } from '../../testkit/repo.ts';
import { registryApiValidators, schemaErrors } from '../../testkit/registry-api-schema.ts';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { ControlPlane } from '../../xds-server/src/control-plane.ts';
import { memoryLogger } from '../../xds-server/src/log.ts';
import type { RegistryServerList, RegistryServerResponse } from '../../xds-server/src/registry-api/registry-shapes.ts';

const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
const TOKEN = 'registry-roundtrip-admin-token-0123';
const validators = registryApiValidators();

let dir = '';
let cp: ControlPlane | undefined;
let admin = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-registry-api-'));
  const compiled = await compileExample('registry-api-test', join(dir, 'dist'));
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  cp = new ControlPlane({
    artifactsDir: join(dir, 'dist'),
    host: '127.0.0.1',
    xdsPort: 0,
    authzPort: 0,
    adminPort: 0,
    advertiseHost: '127.0.0.1',
    env: {},
    logger: memoryLogger(),
    pollIntervalMs: 60_000,
    adminToken: TOKEN,
  });
  const ports = await cp.start();
  admin = `http://127.0.0.1:${String(ports.admin)}`;
});
afterAll(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const authorized = { headers: { authorization: `Bearer ${TOKEN}` } };

describe('the control plane as an MCP registry', () => {
  it('lists each virtual server of the example, pointing at its gateway URL, behind the admin token by default', async () => {
    expect((await fetch(`${admin}/v0.1/servers`)).status).toBe(401);
    const response = await fetch(`${admin}/v0.1/servers`, authorized);
    expect(response.status).toBe(200);
    const list = (await response.json()) as RegistryServerList;
    expect(schemaErrors(validators.serverList, list)).toBe('');
    expect(list.servers.map((s) => s.server.name)).toEqual(
      ['helpdesk', 'inventory', 'knowledge', 'payments-ops', 'whoami'].map((vs) => `local.gatehouse/${vs}`),
    );
    const helpdesk = list.servers[0];
    expect(helpdesk?.server.remotes).toEqual([{ type: 'streamable-http', url: 'http://127.0.0.1:10000/mcp/helpdesk' }]);
    expect(helpdesk?.server.description).toBe('Everything a support agent needs in one endpoint, tickets and the knowledge base.');
    const meta = helpdesk?._meta['dev.gatehouse/virtual-server'];
    expect(meta?.owners).toEqual(['engineering', 'support']);
    expect(meta?.tools.map((t) => t.name)).toContain('tickets__search_tickets');
    expect(meta?.sourceRevision).toBe('registry-api-test');
  });

  it('answers one version as latest, and imports it as a McpServer that lints', async () => {
    const url = `${admin}/v0.1/servers/${encodeURIComponent('local.gatehouse/knowledge')}/versions/latest`;
    const detail = (await (await fetch(url, authorized)).json()) as RegistryServerResponse;
    expect(schemaErrors(validators.serverResponse, detail)).toBe('');

    const root = copyExampleRepo(join(dir, 'repo'));
    const tokenFile = join(dir, 'admin.token');
    writeFileSync(tokenFile, TOKEN);
    const imported = await run(process.execPath, [BIN, 'import', url, '--root', root, '--name', 'knowledge-hub', '--admin-token-file', tokenFile], {
      cwd: root, timeoutMs: 60_000,
    });
    expect(imported.code, imported.stderr).toBe(0);
    const yaml = readFileSync(join(root, 'registry', 'mcp-servers', 'knowledge-hub.yaml'), 'utf8');
    expect(yaml).toContain('url: http://127.0.0.1:10000/mcp/knowledge');
    expect(yaml).toContain('dataClassification: internal');
    expect(yaml).not.toContain('TODO');
    const lint = await run(process.execPath, [BIN, 'lint', '--root', root], { cwd: root, timeoutMs: 120_000 });
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
  });
});
