// The CLI contract, through the real binary: exit codes (0 ok, 1 findings, 2 usage), output
// formats, where artifacts land, determinism, and the access matrix.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT, requireTool } from '../../toolchain/src/tools.ts';
import { copyExampleRepo, snapshotFolder, tempDir } from '../../testkit/repo.ts';

const work = tempDir('gatehouse-cli-');
afterAll(() => work.remove());

const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
const gatehouse = (args: string[], cwd = PROJECT_ROOT) => run(process.execPath, [BIN, ...args], { cwd, timeoutMs: 120_000 });

function brokenRepo(name: string): string {
  const root = copyExampleRepo(join(work.path, name));
  const grant = join(root, 'registry', 'grants', 'support.yaml');
  writeFileSync(grant, readFileSync(grant, 'utf8').replace('- server: docs', '- server: wiki'));
  return root;
}

describe('gatehouse lint', () => {
  it('exits 0 on the example registry', async () => {
    const result = await gatehouse(['lint']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('no problems found');
    expect(result.stderr).toMatch(/gatehouse lint: parse: \d+ documents/);
  });

  it('exits 1 with file:line in text, JSON and SARIF', async () => {
    const root = brokenRepo('lint-broken');
    const text = await gatehouse(['lint', '--root', root]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('registry/grants/support.yaml:12:15: error [unknown-reference]');

    const json = JSON.parse((await gatehouse(['lint', '--root', root, '--format', 'json'])).stdout) as { diagnostics: unknown[]; summary: { errors: number } };
    expect(json.summary.errors).toBe(1);
    expect(json.diagnostics[0]).toMatchObject({ code: 'unknown-reference', location: { file: 'registry/grants/support.yaml', line: 12 } });

    const sarif = JSON.parse((await gatehouse(['lint', '--root', root, '--format', 'sarif'])).stdout) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual(['unknown-reference']);
    expect(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine).toBe(12);
  });

  it('exits 2 on a bad flag', async () => {
    const result = await gatehouse(['lint', '--format', 'xml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format must be one of text, json, sarif');
  });
});

describe('gatehouse compile', () => {
  it('writes the manifest, the xDS per fleet and the bundle, deterministically', async () => {
    const a = join(work.path, 'out-a');
    const b = join(work.path, 'out-b');
    for (const out of [a, b]) {
      const result = await gatehouse(['compile', '--out', out, '--revision', 'test-rev']);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stderr).toContain('envoy validate default: accepted');
    }
    for (const file of ['manifest.json', 'xds/default.json', 'policy/bundle.tar.gz']) expect(existsSync(join(a, file))).toBe(true);
    expect(snapshotFolder(a)).toEqual(snapshotFolder(b));
    const manifest: unknown = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'gatehouse.dev/artifacts/v1', sourceRevision: 'test-rev', fleets: ['default'] });
    expect(JSON.stringify(manifest)).not.toMatch(/20\d\d-\d\d-\d\dT/); // no timestamps
  });

  it('exits 1 on bad input and leaves OUT untouched', async () => {
    const out = join(work.path, 'out-kept');
    expect((await gatehouse(['compile', '--out', out, '--skip-envoy-validate'])).code).toBe(0);
    const before = snapshotFolder(out);
    const result = await gatehouse(['compile', '--root', brokenRepo('compile-broken'), '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('was left as it was');
    expect(snapshotFolder(out)).toEqual(before);
  });

  it('refuses to replace a folder that does not hold Gatehouse artifacts', async () => {
    const out = join(work.path, 'not-artifacts');
    mkdirSync(out);
    writeFileSync(join(out, 'precious.txt'), 'keep me');
    const result = await gatehouse(['compile', '--out', out, '--skip-envoy-validate']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('[output-folder]');
    expect(readFileSync(join(out, 'precious.txt'), 'utf8')).toBe('keep me');
  });
});

describe('gatehouse access', () => {
  it('prints the effective access matrix evaluated by the bundle', async () => {
    const result = await gatehouse(['access']);
    expect(result.code, result.stderr).toBe(0);
    const row = (tool: string) => result.stdout.split('\n').find((l) => l.startsWith(`${tool} `))!;
    const header = result.stdout.split('\n')[0]!.split(/\s+/);
    const cells = (tool: string) => row(tool).split(/\s+/).slice(2);
    const column = (subject: string) => header.indexOf(subject) - 2;
    expect(cells('tickets/delete_ticket')[column('team:support')]).toBe('-');
    expect(cells('tickets/delete_ticket')[column('team:engineering')]).toBe('yes');
    expect(cells('payments/transfer_funds').every((c) => c === '-')).toBe(true);
    expect(cells('docs/search_docs')[column('authenticated')]).toBe('yes');
  });

  it('answers for one subject as JSON', async () => {
    const result = await gatehouse(['access', '--subject', 'team:payments', '--format', 'json']);
    const matrix = JSON.parse(result.stdout) as {
      subjects: { subject: string; servers: Record<string, string[]>; virtualServers: Record<string, string[]> }[];
    };
    expect(matrix.subjects).toHaveLength(1);
    expect(matrix.subjects[0]).toMatchObject({
      subject: 'team:payments',
      servers: { payments: ['issue_refund', 'list_invoices', 'lookup_payment'], tickets: ['get_ticket', 'search_tickets'], docs: ['search_docs'] },
    });
    expect(matrix.subjects[0]!.virtualServers['helpdesk']).toEqual(['docs__search_docs', 'tickets__get_ticket', 'tickets__search_tickets']);
  });

  it('says where each tool call is decided: RBAC where the policy allows it, ext_authz for rules on arguments', async () => {
    const result = await gatehouse(['access', '--format', 'json']);
    const { decidedBy } = JSON.parse(result.stdout) as { decidedBy: { virtualServer: string; tool: string; layer: string; reason: string }[] };
    const at = (vs: string, tool: string) => decidedBy.find((d) => d.virtualServer === vs && d.tool === tool);
    expect(at('payments-ops', 'issue_refund')).toMatchObject({ layer: 'ext_authz', reason: 'organisation rules read input.mcp.arguments.amount' });
    // The example's gateway keeps ext_authz: the report says RBAC could decide the others.
    expect(at('knowledge', 'get_page')).toMatchObject({ layer: 'ext_authz', reason: 'RBAC could (grants only), but staticDecisions is ext_authz' });
    // A token-exchange server's calls stay with ext_authz: it returns the server's token for each call.
    expect(at('whoami', 'whoami')).toMatchObject({
      layer: 'ext_authz',
      reason: 'upstream identity: the control plane fetches the server\'s token for each call',
    });
    expect(decidedBy).toHaveLength(19);
  });

  it('exits 2 for an unknown subject', async () => {
    const result = await gatehouse(['access', '--subject', 'team:nobody']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown subject "team:nobody"');
  });
});

type Bootstrap = {
  node: unknown;
  admin: unknown;
  dynamic_resources: { ads_config: { api_type: string } };
  static_resources: { clusters: { name: string; transport_socket?: unknown }[] };
};

describe('gatehouse certs and envoy-bootstrap', () => {
  const validate = (file: string) => run(requireTool('envoy'), ['--mode', 'validate', '-c', file, '--log-level', 'error', '--disable-hot-restart']);

  it('issues development certificates and writes an mTLS bootstrap that Envoy accepts', async () => {
    const tls = join(work.path, 'tls');
    const init = await gatehouse(['certs', 'init', '--dir', tls, '--trust-domain', 'example.test']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('spiffe://example.test/gatehouse/control-plane');
    const node = await gatehouse(['certs', 'node', '--dir', tls, '--fleet', 'default', '--node', 'edge-1']);
    expect(node.code, node.stderr).toBe(0);
    expect(node.stdout).toContain('spiffe://example.test/gatehouse/fleet/default/node/edge-1');
    // The folder remembers its trust domain: another one is refused.
    expect((await gatehouse(['certs', 'node', '--dir', tls, '--fleet', 'default', '--node', 'x', '--trust-domain', 'other.test'])).code).toBe(1);

    const dir = join(work.path, 'envoy-mtls');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'bootstrap.json');
    const nodeDir = join(tls, 'nodes', 'default', 'edge-1');
    const result = await gatehouse([
      'envoy-bootstrap', '--node-id', 'edge-1', '--cluster', 'default', '--xds', '127.0.0.1:18000', '--out', file, '--trust-domain', 'example.test',
      '--tls-ca', join(tls, 'ca.pem'), '--tls-cert', join(nodeDir, 'cert.pem'), '--tls-key', join(nodeDir, 'key.pem'),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const bootstrap = JSON.parse(readFileSync(file, 'utf8')) as Bootstrap;
    expect(bootstrap.node).toEqual({ id: 'edge-1', cluster: 'default' });
    // Envoy's admin interface: a socket beside the bootstrap that only its owner can open.
    expect(bootstrap.admin).toEqual({ address: { pipe: { path: join(dir, 'envoy-admin.sock'), mode: 0o600 } } });
    expect(bootstrap.static_resources.clusters.map((c) => [c.name, c.transport_socket !== undefined])).toEqual([
      ['gatehouse-xds', true],
      ['gatehouse-control-plane', true],
    ]);
    expect(readFileSync(join(dir, 'gatehouse-control-plane-ca.json'), 'utf8')).toContain('spiffe://example.test/gatehouse/control-plane');
    const validated = await validate(file);
    expect(validated.code, validated.stderr).toBe(0);
  });

  it('writes a plaintext bootstrap only when asked by name', async () => {
    const file = join(work.path, 'bootstrap.json');
    const args = ['envoy-bootstrap', '--node-id', 'edge-1', '--cluster', 'default', '--xds', '127.0.0.1:18000', '--out', file];
    expect((await gatehouse(args)).code).toBe(2);
    const result = await gatehouse([...args, '--insecure-plaintext', '--admin-port', '9901']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('--admin-port exposes Envoy\'s admin interface to every local user');
    const bootstrap = JSON.parse(readFileSync(file, 'utf8')) as Bootstrap;
    expect(bootstrap.admin).toEqual({ address: { socket_address: { address: '127.0.0.1', port_value: 9901 } } });
    // Delta xDS by default; state of the world when asked.
    expect(bootstrap.dynamic_resources.ads_config.api_type).toBe('DELTA_GRPC');
    const validated = await validate(file);
    expect(validated.code, validated.stderr).toBe(0);
    const sotw = await gatehouse([...args, '--insecure-plaintext', '--xds-protocol', 'sotw']);
    expect(sotw.code, sotw.stderr).toBe(0);
    expect((JSON.parse(readFileSync(file, 'utf8')) as Bootstrap).dynamic_resources.ads_config.api_type).toBe('GRPC');
    expect((await validate(file)).code).toBe(0);
    const wrong = await gatehouse([...args, '--insecure-plaintext', '--xds-protocol', 'rest']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--xds-protocol must be one of delta, sotw');
  });

  it('exits 2 without the required flags', async () => {
    expect((await gatehouse(['envoy-bootstrap', '--node-id', 'x'])).code).toBe(2);
    expect((await gatehouse(['certs', 'node', '--dir', join(work.path, 'tls')])).code).toBe(2);
  });

  it('exits 2 on a flag value it cannot use, saying which', async () => {
    const port = await gatehouse(['envoy-bootstrap', '--node-id', 'x', '--cluster', 'c', '--xds', '127.0.0.1:99999', '--insecure-plaintext']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--xds');
    const level = await gatehouse(['serve', '--artifacts', join(work.path, 'none'), '--insecure-plaintext', '--log-level', 'loud']);
    expect(level.code).toBe(2);
    expect(level.stderr).toContain('--log-level must be one of debug, info, warn, error');
    const tls = await gatehouse(['serve', '--artifacts', join(work.path, 'none')]);
    expect(tls.code).toBe(2);
    expect(tls.stderr).toContain('or pass --insecure-plaintext to run without TLS');
  });

  it('serve exits 1 on a session key it cannot use, without quoting the key', async () => {
    const keyFile = join(work.path, 'short-session.key');
    writeFileSync(keyFile, 'abcd1234\n');
    const bad = await gatehouse(['serve', '--artifacts', join(work.path, 'none'), '--insecure-plaintext', '--session-key-file', keyFile]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('must hold at least 64 hex digits');
    expect(bad.stderr).not.toContain('abcd1234');
  });
});

describe('the command line itself', () => {
  it('lists the commands and rejects unknown ones', async () => {
    const help = await gatehouse(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['lint', 'compile', 'access', 'serve', 'envoy-bootstrap', 'certs', 'up', 'tools']) expect(help.stdout).toContain(`  ${command} `);
    const unknown = await gatehouse(['deploy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "deploy"');
  });

  it('tools check finds every pinned tool', async () => {
    const result = await gatehouse(['tools', 'check']);
    expect(result.code, result.stderr).toBe(0);
    for (const tool of ['opa v1.22.3', 'regal v0.37.0', 'envoy 1.40.0']) expect(result.stderr).toContain(tool);
  });
});
