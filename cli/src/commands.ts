// The table of subcommands. Each command's module is loaded only when it runs, so `gatehouse lint`
// does not pay for gRPC or Wasm start-up.

/** One subcommand of the CLI. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[]): Promise<number>;
}

/** A command module: `run` returns the exit code, or a promise of it when the command does I/O asynchronously. */
interface CommandModule {
  run(argv: readonly string[]): number | Promise<number>;
}

function lazy(name: string, summary: string, usage: string, load: () => Promise<CommandModule>): Command {
  return { name, summary, usage, run: async (argv) => (await load()).run(argv) };
}

export const COMMANDS: readonly Command[] = [
  lazy('lint', 'validate the registry and policies (no artifacts written)',
    'Usage: gatehouse lint [--root DIR] [--format text|json|sarif]', () => import('./lint-command.ts')),
  lazy('compile', 'compile the registry and policies into the policy bundle and Envoy xDS',
    'Usage: gatehouse compile [--root DIR] [--out DIR] [--revision REV] [--skip-envoy-validate]', () => import('./compile-command.ts')),
  lazy('access', 'print the effective access matrix, evaluated by the compiled bundle',
    'Usage: gatehouse access [--root DIR] [--subject team:NAME|authenticated|email:ADDRESS|user:IDP/SUB] [--team NAME] [--format text|json]',
    () => import('./access-command.ts')),
  lazy('check', 'lint, Rego checks, compile and the safety gates; with --base, the access diff against a git revision',
    'Usage: gatehouse check [--root DIR] [--base GITREF] [--secrets-dir DIR] [--live] [--format text|json|sarif|markdown] [--skip-envoy-validate]',
    () => import('./check-command.ts')),
  lazy('discover', 'list each registered MCP server\'s tools and pin their definitions in tools.lock.yaml',
    'Usage: gatehouse discover [--root DIR] [--server NAME]... [--secrets-dir DIR]', () => import('./discover-command.ts')),
  lazy('preflight', 'the 12-point pre-deployment checklist over the registry, the artifacts and (--live) a running control plane',
    'Usage: gatehouse preflight [--root DIR] [--artifacts DIR] [--trusted-key FILE]… [--live URL] [--admin-token-file FILE] [--format text|json|markdown|html]',
    () => import('./preflight-command.ts')),
  lazy('test', 'run the Rego tests of policies/ with Gatehouse\'s base policy, using the pinned OPA',
    'Usage: gatehouse test [--root DIR] [--verbose] [--coverage]', () => import('./test-command.ts')),
  lazy('fmt', 'format the Rego in policies/ with the pinned OPA (--write), or list what is not formatted',
    'Usage: gatehouse fmt [--root DIR] [--write]', () => import('./fmt-command.ts')),
  lazy('init', 'scaffold a policy repository: registry example, policies/, package.json, CI workflow, editor hints',
    'Usage: gatehouse init [DIR] [--force]', () => import('./init-command.ts')),
  lazy('github', 'post a check report to a pull request: one comment and a check run',
    'Usage: gatehouse github report --repo OWNER/NAME --pr N --sha SHA [--report FILE]', () => import('./github-command.ts')),
  lazy('serve', 'run the control plane (ADS, ext_authz, access logs, admin) on an artifact folder or published URL',
    'Usage: gatehouse serve --artifacts DIR|URL (--tls-ca F --tls-cert F --tls-key F | --insecure-plaintext)', () => import('./serve-command.ts')),
  lazy('envoy-bootstrap', 'write the bootstrap of an Envoy that takes everything over ADS',
    'Usage: gatehouse envoy-bootstrap --node-id ID --cluster FLEET --xds HOST:PORT [--xds HOST:PORT]… [--out FILE] [--xds-protocol delta|sotw] ' +
      '(--tls-ca F --tls-cert F --tls-key F | --insecure-plaintext)',
    () => import('./envoy-bootstrap-command.ts')),
  lazy('certs', 'create a development CA and issue the control plane\'s and Envoy nodes\' mTLS certificates',
    'Usage: gatehouse certs init|node [--dir DIR]', () => import('./certs-command.ts')),
  lazy('up', 'run the whole demo: compile, control plane, Envoy, MCP servers, identity provider',
    'Usage: gatehouse up [--root DIR] [--no-transcript] [--xds-port N] [--authz-port N] [--admin-port N] [--insecure-plaintext] [--xds-protocol delta|sotw]',
    () => import('./up-command.ts')),
  lazy('token', 'print an access token from the development identity provider (for a team, a user, or anyone signed in)',
    'Usage: gatehouse token (--team NAME | --user EMAIL | --authenticated) [--virtual-server NAME]... [--expires-in 1h] [--root DIR] [--state-dir DIR]',
    () => import('./token-command.ts')),
  lazy('audit', 'verify an audit log (a file, or a folder of rotated files) with its key and anchors',
    'Usage: gatehouse audit verify FILE|DIR [--key-file FILE] [--anchors DIR] [--legacy] [--head SHA256] [--format text|json]',
    () => import('./audit-command.ts')),
  lazy('report', 'report from the audit log: tool call costs per team and cost center',
    'Usage: gatehouse report costs [--audit DIR] [--key-file FILE] [--anchors DIR] [--since WHEN] [--until WHEN] [--format text|json|csv|html]',
    () => import('./report-command.ts')),
  lazy('schema', 'write the JSON Schemas of the registry kinds (for editors)',
    'Usage: gatehouse schema [--out DIR]', () => import('./schema-command.ts')),
  lazy('docs', 'write the registry and diagnostics reference pages',
    'Usage: gatehouse docs [--out DIR]', () => import('./docs-command.ts')),
  lazy('keys', 'make the key pair that signs artifacts, or print a key\'s id',
    'Usage: gatehouse keys generate [--out DIR] | keys id FILE', () => import('./keys-command.ts')),
  lazy('tools', 'install or check the pinned tools (OPA, Regal, Envoy)',
    'Usage: gatehouse tools install|check [TOOL]…', () => import('./tools-command.ts')),
];
