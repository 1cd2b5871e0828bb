// What `gatehouse up` prints to connect MCP clients to the demo: per virtual server, an MCP Inspector
// CLI command that lists its tools (the Inspector does the session handshake a bare curl lacks), and
// ready-to-paste configurations for Claude Desktop (through mcp-remote), VS Code, Cursor and the
// Inspector's web UI. The README's "Connect a client" section is this text. Pure.
import type { Ir } from '../../compiler/src/ir/types.ts';

export interface ClientEndpoint {
  readonly name: string;
  readonly url: string;
  /** `gatehouse token` flags for a subject with access (`--team support`). */
  readonly tokenFlags: string;
}

export interface ClientInstructionsInput {
  /** The development identity provider's issuer. */
  readonly issuer: string;
  readonly endpoints: readonly ClientEndpoint[];
}

/** The mcp-remote release the Claude Desktop configuration runs (the one Gatehouse tests with). */
export const MCP_REMOTE = 'mcp-remote@0.15.1';
export const INSPECTOR_CLI = '@modelcontextprotocol/inspector-cli@1.0.3';

/** The flags of `gatehouse token` for the subject with the most tools on a virtual server (a team if any, else anyone signed in). */
export function tokenFlagsFor(ir: Ir, virtualServer: string): string {
  const vs = ir.virtualServers.find((v) => v.name === virtualServer);
  const members = new Set(vs?.members.map((m) => m.server) ?? []);
  const tools = new Map<string, number>();
  for (const grant of ir.grants) {
    const count = grant.access.filter((a) => members.has(a.server)).reduce((n, a) => n + a.tools.length, 0);
    if (count === 0) continue;
    for (const subject of grant.subjects) tools.set(subject, (tools.get(subject) ?? 0) + count);
  }
  const teams = [...tools].filter(([s]) => s.startsWith('team:')).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const best = teams[0]?.[0];
  return best ? `--team ${best.slice('team:'.length)}` : '--authenticated';
}

export function clientEndpoints(ir: Ir, endpoint: (virtualServer: string) => string): ClientEndpoint[] {
  return ir.virtualServers.map((vs) => ({ name: vs.name, url: endpoint(vs.name), tokenFlags: tokenFlagsFor(ir, vs.name) }));
}

/**
 * The command that lists a virtual server's tools with a fresh token, run from the repository root.
 * It runs the Inspector from registry/: inspector-cli 1.0.3 installed on its own finds its
 * package.json only when the working directory's parent has one (it tests the path against the
 * working directory but imports it relative to itself).
 */
export function listToolsCommand(endpoint: ClientEndpoint): string {
  return `(TOKEN=$(npx gatehouse token ${endpoint.tokenFlags}) && cd registry && npx ${INSPECTOR_CLI} --cli ${endpoint.url} ` +
    '--transport http --method tools/list --header "Authorization: Bearer $TOKEN")';
}

const key = (endpoint: ClientEndpoint) => `gatehouse-${endpoint.name}`;

export interface ClientConfig {
  readonly client: string;
  readonly file: string;
  /** The file's content: `{ <section>: { <server>: <entry> } }`. */
  readonly json: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export function clientConfigs(endpoints: readonly ClientEndpoint[]): ClientConfig[] {
  const each = <T>(value: (e: ClientEndpoint) => T) => Object.fromEntries(endpoints.map((e) => [key(e), value(e)]));
  return [
    {
      client: 'Claude Desktop, through mcp-remote',
      file: 'claude_desktop_config.json',
      json: { mcpServers: each((e) => ({ command: 'npx', args: ['-y', MCP_REMOTE, e.url] })) },
    },
    { client: 'VS Code', file: '.vscode/mcp.json', json: { servers: each((e) => ({ type: 'http', url: e.url })) } },
    { client: 'Cursor', file: '~/.cursor/mcp.json', json: { mcpServers: each((e) => ({ url: e.url })) } },
  ];
}

/** JSON with one line per server entry: short enough to read in a terminal, still valid to paste. */
function compactJson(json: ClientConfig['json'], indent: string): string {
  const lines = ['{'];
  const sections = Object.entries(json);
  sections.forEach(([section, entries], i) => {
    lines.push(`  ${JSON.stringify(section)}: {`);
    const rows = Object.entries(entries).map(([name, entry]) => `    ${JSON.stringify(name)}: ${JSON.stringify(entry).replace(/":/g, '": ').replace(/,"/g, ', "')}`);
    lines.push(rows.join(',\n'), `  }${i < sections.length - 1 ? ',' : ''}`);
  });
  lines.push('}');
  return lines.join('\n').split('\n').map((line) => `${indent}${line}`).join('\n');
}

export function clientInstructions(input: ClientInstructionsInput): string {
  const lines = [
    `Tokens come from the development identity provider (${input.issuer}); mint one at any time:`,
    '  npx gatehouse token --team NAME | --user EMAIL | --authenticated  [--expires-in 8h] [--virtual-server NAME]',
    '',
    'List the tools of each virtual server, from this folder (the MCP Inspector CLI does the MCP session handshake):',
  ];
  for (const e of input.endpoints) lines.push(`  ${e.name} (${e.tokenFlags.replace(/^--/, '')}):`, `    ${listToolsCommand(e)}`);
  lines.push(
    '',
    'Clients that sign in with OAuth discover the identity provider from the gateway\'s 401 (RFC 9728), register themselves',
    'and open its login page in a browser: pick a demo user there. Paste into the client\'s configuration file:',
  );
  for (const config of clientConfigs(input.endpoints)) {
    lines.push(`  ${config.client} (${config.file}):`, compactJson(config.json, '    '));
  }
  const first = input.endpoints[0];
  if (first) {
    lines.push(
      '  MCP Inspector (web UI): npx @modelcontextprotocol/inspector, then Transport Type "Streamable HTTP",',
      `    URL ${first.url}, and under Authentication a bearer token from: npx gatehouse token ${first.tokenFlags}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
