// Fetching a pinned OpenAPI document (from a local server: no network in tests), and the checks of
// what comes back.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceLocation } from '../diagnostics/diagnostic.ts';
import type { OpenApiSource } from '../schema/openapi-source.ts';
import type { RegistryDocument } from '../validate/registry-document.ts';
import { loadOpenApiDocuments, pointerIn } from './load-document.ts';

const DOCUMENT = `openapi: 3.1.0
info: { title: t, version: "1" }
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{ name: id, in: path, required: true, schema: { $ref: "#/components/schemas/Id" } }]
      responses: { "200": { description: ok } }
components:
  schemas:
    Id: { type: string, minLength: 3 }
`;
const sha256 = createHash('sha256').update(DOCUMENT).digest('hex');

// The document server runs in a process of its own: this thread blocks while the compiler fetches
// (run-sync.ts), so a server here could not answer.
const SERVER = `
const document = process.env.DOCUMENT;
const server = require('node:http').createServer((req, res) => {
  if (req.url === '/openapi.yaml') res.writeHead(200, { 'content-type': 'application/yaml' }).end(document);
  else res.writeHead(404).end();
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;
let child: ChildProcess;
let base: string;
beforeAll(async () => {
  child = spawn(process.execPath, ['-e', SERVER], { env: { DOCUMENT }, stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = (await once(child.stdout!, 'data')) as [Buffer];
  base = `http://127.0.0.1:${port.toString().trim()}`;
});
afterAll(() => {
  child.kill();
});

const at = (line: number): SourceLocation => ({ file: 'registry/mcp-servers/things.yaml', line, column: 3 });
function request(source: OpenApiSource) {
  const server = { kind: 'McpServer', name: 'things', file: 'registry/mcp-servers/things.yaml', location: at(4), at: () => at(12) } as unknown;
  return { source, server: server as RegistryDocument<'McpServer'> };
}
const noFiles = (path: string) => ({ path, kind: 'jwks' as const, readError: 'not read in this test' });

describe('an OpenAPI document fetched from a URL', () => {
  it('is used when its SHA-256 is the pinned one, with every $ref resolved', () => {
    const { documents, diagnostics } = loadOpenApiDocuments([request({ url: `${base}/openapi.yaml`, sha256 })], noFiles);
    expect(diagnostics).toEqual([]);
    const api = documents.get('things')?.api as { paths: Record<string, { get: { parameters: { schema: unknown }[] } }> };
    expect(api.paths['/things/{id}']?.get.parameters[0]?.schema).toEqual({ type: 'string', minLength: 3 });
    expect(documents.get('things')?.locate(['paths', '/things/{id}', 'get'])).toMatchObject({ file: `${base}/openapi.yaml`, line: 6 });
  });

  it('is refused, at the registry line, when its content is not the pinned one', () => {
    const { documents, diagnostics } = loadOpenApiDocuments([request({ url: `${base}/openapi.yaml`, sha256: '0'.repeat(64) })], noFiles);
    expect(documents.size).toBe(0);
    expect(diagnostics).toMatchObject([{ code: 'openapi-fetch', location: at(12) }]);
    expect(diagnostics[0]?.message).toContain(`has SHA-256 ${sha256}`);
  });

  it('is refused when the server does not serve it', () => {
    const { diagnostics } = loadOpenApiDocuments([request({ url: `${base}/missing.yaml`, sha256 })], noFiles);
    expect(diagnostics).toMatchObject([{ code: 'openapi-fetch' }]);
    expect(diagnostics[0]?.message).toContain('HTTP status 404');
  });

  it('needs its sha256, and exactly one of file and url', () => {
    expect(loadOpenApiDocuments([request({ url: `${base}/openapi.yaml` })], noFiles).diagnostics).toMatchObject([{ code: 'openapi-source' }]);
    expect(loadOpenApiDocuments([request({})], noFiles).diagnostics).toMatchObject([{ code: 'openapi-source' }]);
  });
});

describe('pointerIn', () => {
  it('reads the JSON pointer a validation message names', () => {
    expect(pointerIn("#/paths/~1items~1{sku}/post must have required property 'responses'")).toEqual(['paths', '/items/{sku}', 'post']);
    expect(pointerIn('no pointer here')).toEqual([]);
  });
});
