import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SILENT } from '../../pipeline/progress.ts';
import { loadRegistry } from '../../pipeline/load-registry.ts';
import { aggregatedCapabilities } from '../../ir/aggregation.ts';
import { EXAMPLE_ROOT, copyExampleRepo, tempDir } from '../../../../testkit/repo.ts';

const work = tempDir('gatehouse-aggregation-');
let runs = 0;
afterAll(() => work.remove());

/** The example registry with the docs server (a member of helpdesk, aggregated, and knowledge, alone) declaring `capabilities`. */
function lintWith(capabilities: string) {
  const docs = readFileSync(join(EXAMPLE_ROOT, 'registry/mcp-servers/docs.yaml'), 'utf8').replace('  tools:\n', `  capabilities: ${capabilities}\n  tools:\n`);
  const root = copyExampleRepo(join(work.path, String((runs += 1))), { 'registry/mcp-servers/docs.yaml': docs });
  return loadRegistry(root, SILENT);
}

describe('aggregated-capability-lost', () => {
  it('warns once per aggregated virtual server, at the member, naming each capability mcp_router cannot carry', () => {
    const { diagnostics, ir } = lintWith('[prompts, roots, sampling, resources.subscribe, completions]');
    const lost = diagnostics.filter((d) => d.code === 'aggregated-capability-lost');
    expect(lost.map((d) => ({ severity: d.severity, message: d.message, file: d.location?.file }))).toEqual([
      {
        severity: 'warning',
        message:
          'VirtualServer "helpdesk" aggregates McpServer "docs", which declares roots, resources.subscribe: ' +
          'Envoy\'s mcp_router cannot carry them, so clients of "helpdesk" lose them',
        file: 'registry/virtual-servers/helpdesk.yaml',
      },
    ]);
    expect(lost[0]?.hint).toContain('standalone GET event stream');
    // A warning, not an error: the registry still compiles, and the capabilities reach the IR.
    expect(ir?.servers.find((s) => s.name === 'docs')?.capabilities).toEqual(['completions', 'prompts', 'resources.subscribe', 'roots', 'sampling']);
  });

  it('says nothing about capabilities mcp_router carries, nor about single-member virtual servers', () => {
    const { diagnostics } = lintWith('[prompts, resources, completions, logging, sampling, elicitation]');
    expect(diagnostics.filter((d) => d.code === 'aggregated-capability-lost')).toEqual([]);
  });

  it('rejects a capability it does not know', () => {
    expect(lintWith('[prompt]').diagnostics.some((d) => d.code === 'schema')).toBe(true);
  });
});

describe('aggregatedCapabilities', () => {
  it('advertises tools and what any member declares that mcp_router carries, never the notifications it cannot deliver', () => {
    expect(aggregatedCapabilities([['prompts', 'listChanged'], ['resources', 'resources.subscribe', 'logging', 'sampling'], []])).toEqual({
      tools: {},
      prompts: {},
      resources: {},
      logging: {},
    });
    expect(aggregatedCapabilities([[], []])).toEqual({ tools: {} });
  });
});
