// Operations to tools: selection, names, input schemas, the REST request, and what is refused.
import { describe, expect, it } from 'vitest';
import type { SourceLocation } from '../diagnostics/diagnostic.ts';
import type { NodePath } from '../source/parse-yaml.ts';
import type { LoadedOpenApi } from './load-document.ts';
import { generateTools, type RestContext } from './operations.ts';

const REGISTRY: SourceLocation = { file: 'registry/mcp-servers/crm.yaml', line: 14, column: 3 };
const ctx: RestContext = { server: 'crm', upstreamPath: '/', credentialHeader: 'Authorization', registry: REGISTRY };

/** A document whose locate answers with the path it was asked for, so a test can see which node a diagnostic names. */
function document(api: Record<string, unknown>): LoadedOpenApi & { paths: string[] } {
  const paths: string[] = [];
  const locate = (path: NodePath): SourceLocation => {
    paths.push(path.join(' > '));
    return { file: 'apis/crm.yaml', line: paths.length, column: 1 };
  };
  return { name: 'apis/crm.yaml', api, locate, paths };
}

const customer = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
const API = {
  openapi: '3.1.0',
  servers: [{ url: 'https://crm.example.com/{version}', variables: { version: { default: 'v2' } } }],
  security: [{ bearer: [] }],
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  paths: {
    '/customers/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Customer id.' }],
      get: { operationId: 'getCustomer', tags: ['read'], summary: 'One customer.', description: 'With contacts.', responses: {} },
      put: {
        operationId: 'updateCustomer',
        tags: ['write'],
        parameters: [{ name: 'If-Match', in: 'header', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: customer } } },
        responses: {},
      },
    },
    '/customers': {
      get: {
        operationId: 'search',
        parameters: [{ name: 'tag', in: 'query', schema: { type: 'array', items: { type: 'string' } } }],
        responses: {},
      },
    },
  },
};

describe('OpenAPI operations as tools', () => {
  it('names each tool from its operationId (or rename), with the REST request the bridge makes', () => {
    const { tools, diagnostics } = generateTools(document(API), { rename: { search: 'search_customers' } }, ctx);
    expect(diagnostics).toEqual([]);
    expect(tools.map((t) => [t.tool, t.method, t.path, t.bodyArgument ?? null, t.headers])).toEqual([
      ['getCustomer', 'get', '/v2/customers/{id}', null, []],
      ['updateCustomer', 'put', '/v2/customers/{id}', 'body', [{ header: 'if-match', argument: 'If-Match' }]],
      ['search_customers', 'get', '/v2/customers', null, []],
    ]);
    expect(tools[0]).toMatchObject({
      description: 'One customer.\n\nWith contacts.',
      inputSchema: { type: 'object', properties: { id: { type: 'string', description: 'Customer id.' } }, required: ['id'] },
    });
    expect(tools[1]?.inputSchema).toEqual({
      type: 'object',
      properties: { id: { type: 'string', description: 'Customer id.' }, 'If-Match': { type: 'string' }, body: customer },
      required: ['id', 'If-Match', 'body'],
    });
  });

  it('offers the included operations that are not excluded, by tag, operationId glob or path', () => {
    const names = (include?: object[], exclude?: object[]) =>
      generateTools(document(API), { ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) }, ctx).tools.map((t) => t.tool);
    expect(names([{ tag: 'read' }])).toEqual(['getCustomer']);
    expect(names(undefined, [{ path: '/customers/*' }])).toEqual(['search']);
    expect(names([{ operationId: '*Customer' }], [{ tag: 'write' }])).toEqual(['getCustomer']);
  });

  it('refuses security the injected credential cannot meet, at the operation', () => {
    const { tools, diagnostics } = generateTools(document(API), {}, { ...ctx, credentialHeader: 'X-Api-Key' });
    expect(tools).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(['openapi-unsupported', 'openapi-unsupported', 'openapi-unsupported']);
    expect(diagnostics[0]?.message).toContain('needs the server\'s credential in the Authorization header');
    expect(diagnostics[0]?.message).toContain('(McpServer "crm", registry/mcp-servers/crm.yaml:14)');
  });

  it('refuses what the bridge cannot carry, at the parameter or body, and keeps the other tools', () => {
    const api = JSON.parse(JSON.stringify(API)) as Record<string, unknown> & { paths: Record<string, Record<string, Record<string, unknown>>> };
    api.paths['/customers']!.get!.parameters = [{ name: 'filter', in: 'query', style: 'deepObject', schema: { type: 'object' } }];
    api.paths['/customers/{id}']!.put!.requestBody = { content: { 'text/csv': { schema: { type: 'string' } } } };
    const doc = document(api);
    const { tools, diagnostics } = generateTools(doc, {}, ctx);
    expect(tools.map((t) => t.tool)).toEqual(['getCustomer']);
    expect(diagnostics.map((d) => d.message.split(' (McpServer')[0])).toEqual([
      'updateCustomer: the request body is text/csv; the bridge sends JSON bodies only',
      'search: query parameter "filter" must be a primitive, or an array of primitives in form style with explode (name=a&name=b)',
    ]);
    const lines = diagnostics.map((d) => doc.paths[(d.location?.line ?? 0) - 1]);
    expect(lines).toEqual(['paths > /customers/{id} > put > requestBody', 'paths > /customers > get > parameters > 0']);
  });
});
