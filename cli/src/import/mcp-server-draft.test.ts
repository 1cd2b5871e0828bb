import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultName, draftMcpServer, type McpServerDraft } from './mcp-server-draft.ts';
import { parseServerJson, unwrapServerJson, type ServerJson } from './server-json.ts';

function serverJson(document: unknown): ServerJson {
  const unwrapped = unwrapServerJson(document);
  if (!unwrapped.ok) throw new Error(unwrapped.error);
  const parsed = parseServerJson(unwrapped.value);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

function draft(document: unknown, name?: string): McpServerDraft {
  const result = draftMcpServer(serverJson(document), { source: 'server.json', ...(name === undefined ? {} : { name }) });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function refusal(document: unknown): string {
  const unwrapped = unwrapServerJson(document);
  if (!unwrapped.ok) return unwrapped.error;
  const parsed = parseServerJson(unwrapped.value);
  if (!parsed.ok) return parsed.error;
  const result = draftMcpServer(parsed.value, { source: 'server.json' });
  return result.ok ? '' : result.error;
}

const VENDOR = {
  name: 'io.github.acme/Weather-API',
  description: 'Weather forecasts and alerts.',
  version: '1.4.0',
  remotes: [
    {
      type: 'streamable-http',
      url: 'https://{region}.weather.example.com/mcp',
      variables: { region: { default: 'eu' } },
      headers: [{ name: 'X-API-Key', description: 'Your API key', isSecret: true }, { name: 'X-Client', value: 'ide' }],
    },
  ],
};

interface Document {
  metadata: { name: string };
  spec: Record<string, unknown> & { upstream: { url: string }; credential?: { secretRef: string; header?: string } };
}

describe('gatehouse import: server.json to McpServer', () => {
  it('takes the remote as the upstream, and the secret header as a credential reference to review', () => {
    const result = draft(VENDOR);
    const document = parse(result.yaml) as Document;
    expect(document.metadata.name).toBe('weather-api');
    expect(document.spec.upstream.url).toBe('https://eu.weather.example.com/mcp');
    expect(document.spec.credential).toEqual({ secretRef: 'weather-api-credential', header: 'X-API-Key' });
    expect(result.yaml).toContain('# REVIEW: the server expects a credential in the X-API-Key header (Your API key).');
    expect(result.yaml).toContain('GATEHOUSE_SECRET_WEATHER_API_CREDENTIAL');
    expect(result.yaml).toContain('not imported (Gatehouse sets no other fixed headers upstream): X-Client');
    expect(result.yaml).toContain('#   server.json: io.github.acme/Weather-API 1.4.0');
  });

  it('leaves what a server.json cannot say as TODO, never invented', () => {
    const result = draft(VENDOR);
    const document = parse(result.yaml) as Document;
    expect(result.todo).toEqual(['dataClassification', 'region', 'tools']);
    expect(document.spec['dataClassification']).toBe('TODO');
    expect(document.spec['region']).toBe('TODO');
    expect(document.spec['tools']).toBeUndefined();
  });

  it('keeps an Authorization credential on the default header, and takes a header named like a token even unmarked', () => {
    const bearer = draft({ ...VENDOR, remotes: [{ type: 'streamable-http', url: 'https://mcp.example.com/mcp', headers: [{ name: 'Authorization' }] }] });
    expect((parse(bearer.yaml) as Document).spec.credential).toEqual({ secretRef: 'weather-api-credential' });
    const token = draft({ ...VENDOR, remotes: [{ type: 'streamable-http', url: 'https://mcp.example.com/mcp', headers: [{ name: 'X-Access-Token' }] }] });
    expect((parse(token.yaml) as Document).spec.credential?.header).toBe('X-Access-Token');
  });

  it('imports a Gatehouse registry answer complete: classification, region and tools from its metadata', () => {
    const answer = {
      server: {
        name: 'local.gatehouse/knowledge',
        description: 'The knowledge base.',
        version: 'abc',
        remotes: [{ type: 'streamable-http', url: 'http://gw.example.com/mcp/knowledge' }],
      },
      _meta: {
        'dev.gatehouse/virtual-server': {
          description: 'The knowledge base, for everyone.',
          owners: ['engineering'],
          members: [
            { server: 'docs', dataClassification: 'internal', region: 'eu-west-1' },
            { server: 'wiki', dataClassification: 'confidential', region: 'eu-west-1' },
          ],
          tools: [{ name: 'search_docs', risk: 'low' }, { name: 'wiki__edit', risk: 'medium' }],
        },
      },
    };
    const result = draft(answer);
    const document = parse(result.yaml) as Document;
    expect(result.todo).toEqual([]);
    expect(document.spec).toMatchObject({
      description: 'The knowledge base, for everyone.',
      dataClassification: 'confidential',
      region: 'eu-west-1',
      tools: [{ name: 'search_docs', risk: 'low' }, { name: 'wiki__edit', risk: 'medium' }],
    });
    expect(result.yaml).toContain('The owner upstream was team engineering');
    expect(draft({ servers: [answer] }).name).toBe('knowledge');
    const unrated = { ...answer, _meta: { 'dev.gatehouse/virtual-server': { tools: [{ name: 'search_docs', risk: null }] } } };
    const partial = draft(unrated);
    expect(partial.todo).toEqual(['dataClassification', 'region', 'tool risks']);
    expect((parse(partial.yaml) as Document).spec['tools']).toEqual([{ name: 'search_docs', risk: 'TODO' }]);
  });

  it('refuses what Gatehouse cannot proxy, saying why and what to do', () => {
    const stdio = { registryType: 'npm', identifier: '@example/fs', transport: { type: 'stdio' } };
    expect(refusal({ name: 'io.example/fs', description: 'Files.', packages: [stdio] }))
      .toMatch(/packages only \(npm:@example\/fs\): Gatehouse proxies remote servers only/);
    expect(refusal({ name: 'io.example/old', description: 'Old.', remotes: [{ type: 'sse', url: 'https://old.example.com/sse' }] }))
      .toMatch(/no streamable-http remote \(only sse\)/);
    expect(refusal({ name: 'io.example/none', description: 'Nothing.' })).toMatch(/has no remotes/);
    expect(refusal({ ...VENDOR, remotes: [{ type: 'streamable-http', url: 'https://{tenant}.example.com/mcp' }] })).toMatch(/without a default \(tenant\)/);
    expect(refusal({ ...VENDOR, remotes: [{ type: 'streamable-http', url: 'https://mcp.example.com/mcp?key=1' }] })).toMatch(/without user info, query or fragment/);
    expect(refusal({ ...VENDOR, name: 'io.example/42' })).toMatch(/pass --name NAME/);
  });

  it('refuses input that is not one server.json', () => {
    expect(refusal([1, 2])).toMatch(/not a JSON object/);
    expect(refusal({ servers: [VENDOR, VENDOR] })).toMatch(/registry list of 2 servers: import one/);
    expect(refusal({ description: 'Nameless.' })).toMatch(/has no "name"/);
    expect(refusal({ name: 'io.example/x' })).toMatch(/has no "description"/);
    expect(refusal({ ...VENDOR, remotes: [{ type: 'streamable-http' }] })).toMatch(/remotes\[0\] needs a "type" and a "url"/);
  });

  it('names the server after the last part of its server.json name, or --name', () => {
    expect(defaultName('io.github.acme/Weather-API')).toBe('weather-api');
    expect(defaultName('com.example/my_cool.server-')).toBe('my-cool-server');
    expect(draft(VENDOR, 'forecasts').name).toBe('forecasts');
  });
});
