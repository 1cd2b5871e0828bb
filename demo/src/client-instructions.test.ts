import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../compiler/src/pipeline/load-registry.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { resourceUrl, type Ir } from '../../compiler/src/ir/types.ts';
import { EXAMPLE_ROOT } from '../../testkit/repo.ts';
import { clientConfigs, clientEndpoints, clientInstructions, listToolsCommand, tokenFlagsFor } from './client-instructions.ts';

const ir = loadRegistry(EXAMPLE_ROOT, SILENT).ir as Ir;
const endpoints = clientEndpoints(ir, (vs) => resourceUrl(ir.gateways[0]!, vs));

describe('client instructions', () => {
  it('names, per virtual server, the team with the most tools on it, or anyone signed in', () => {
    expect(tokenFlagsFor(ir, 'helpdesk')).toBe('--team support');
    expect(tokenFlagsFor(ir, 'payments-ops')).toBe('--team payments');
    expect(tokenFlagsFor({ ...ir, grants: ir.grants.filter((g) => g.subjects.includes('authenticated')) }, 'knowledge')).toBe('--authenticated');
  });

  it('lists tools with the Inspector CLI and a freshly minted token', () => {
    const helpdesk = endpoints.find((e) => e.name === 'helpdesk')!;
    expect(listToolsCommand(helpdesk)).toBe(
      '(TOKEN=$(npx gatehouse token --team support) && cd registry && npx @modelcontextprotocol/inspector-cli@1.0.3 ' +
        '--cli http://127.0.0.1:10000/mcp/helpdesk --transport http --method tools/list --header "Authorization: Bearer $TOKEN")',
    );
  });

  it('gives each client its configuration shape, one entry per virtual server', () => {
    const [claude, vscode, cursor] = clientConfigs(endpoints);
    expect(claude?.json).toMatchObject({ mcpServers: { 'gatehouse-helpdesk': { command: 'npx', args: ['-y', 'mcp-remote@0.15.1', 'http://127.0.0.1:10000/mcp/helpdesk'] } } });
    expect(vscode).toMatchObject({ file: '.vscode/mcp.json', json: { servers: { 'gatehouse-knowledge': { type: 'http', url: 'http://127.0.0.1:10000/mcp/knowledge' } } } });
    expect(Object.keys(cursor?.json.mcpServers ?? {})).toEqual(
      ['gatehouse-helpdesk', 'gatehouse-inventory', 'gatehouse-knowledge', 'gatehouse-payments-ops', 'gatehouse-whoami'],
    );
  });

  it('prints valid JSON a user can paste', () => {
    const text = clientInstructions({ issuer: 'http://127.0.0.1:7100', endpoints });
    expect(text).toContain('development identity provider (http://127.0.0.1:7100)');
    const blocks = text.split('\n').reduce<string[][]>((acc, line) => {
      if (line === '    {') acc.push([]);
      acc.at(-1)?.push(line);
      return acc;
    }, []).map((lines) => lines.slice(0, lines.indexOf('    }') + 1).join('\n'));
    expect(blocks).toHaveLength(3);
    expect(blocks.map((block) => JSON.parse(block) as unknown)).toEqual(clientConfigs(endpoints).map((c) => c.json));
  });

  it('is what the README shows under "Connect a client"', () => {
    const readme = readFileSync(join(EXAMPLE_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`\n${clientInstructions({ issuer: 'http://127.0.0.1:7100', endpoints })}\`\`\``);
  });
});
