// The registry stage that turns each McpServer's `openapi` into its tools, before references are
// checked (grants and virtual servers select generated tools like any others): the document read and
// validated (load-document.ts), its operations made tools (operations.ts), and the server's own
// `tools` entries applied to them as per-tool settings. The REST mapping goes to the IR (ir/rest.ts).
import type { Diagnostic, SourceLocation, Staged } from '../diagnostics/diagnostic.ts';
import type { Ir } from '../ir/types.ts';
import type { IrRestApi } from '../ir/rest.ts';
import type { McpTool } from '../schema/mcp-server.ts';
import type { SourceFile } from '../source/read-tree.ts';
import { closest } from '../util/closest.ts';
import type { DocumentsByKind, RegistryDocument } from '../validate/registry-document.ts';
import { loadOpenApiDocuments } from './load-document.ts';
import { generateTools, type GeneratedTool } from './operations.ts';

export interface OpenApiState {
  readonly registry: DocumentsByKind;
  /** The REST mapping of each server generated from an OpenAPI document, by server name. */
  readonly restApis: ReadonlyMap<string, IrRestApi>;
  /** Servers left out of the registry because their document failed (references to them are then not reported again). */
  readonly failed: ReadonlySet<string>;
}

/** [impure: reads the documents] The registry with every OpenAPI server's tools generated. */
export function resolveOpenApi(registry: DocumentsByKind, readReferenced: (path: string) => SourceFile): Staged<OpenApiState> {
  const diagnostics: Diagnostic[] = [];
  const requests = registry.McpServer.flatMap((server) => (server.spec.openapi ? [{ server, source: server.spec.openapi }] : []));
  for (const server of registry.McpServer) {
    if (!server.spec.openapi && !server.spec.tools) {
      diagnostics.push({
        code: 'no-tools',
        severity: 'error',
        message: `McpServer "${server.name}" has neither tools nor openapi`,
        location: server.location,
        hint: 'List the server\'s tools, or point openapi at the REST service\'s OpenAPI document.',
      });
    }
  }
  const rest = new Set(requests.map((r) => r.server.name));
  for (const vs of registry.VirtualServer) {
    if (vs.spec.members.length < 2) continue;
    vs.spec.members.forEach((member, i) => {
      if (!rest.has(member.server)) return;
      diagnostics.push({
        code: 'openapi-unsupported',
        severity: 'error',
        message: `VirtualServer "${vs.name}" aggregates McpServer "${member.server}", an OpenAPI server; mcp_router cannot reach the REST bridge`,
        location: vs.at(['members', i, 'server']),
        hint: 'Give the OpenAPI server a virtual server of its own.',
      });
    });
  }
  const loaded = loadOpenApiDocuments(requests, readReferenced);
  diagnostics.push(...loaded.diagnostics);
  const restApis = new Map<string, IrRestApi>();
  const failed = new Set<string>();
  const servers = registry.McpServer.map((server): RegistryDocument<'McpServer'> => {
    const source = server.spec.openapi;
    if (!source) return server;
    const doc = loaded.documents.get(server.name);
    const url = new URL(server.spec.upstream.url);
    const generated = doc
      ? generateTools(doc, source, {
          server: server.name,
          upstreamPath: url.pathname,
          ...(server.spec.credential ? { credentialHeader: server.spec.credential.header ?? 'Authorization' } : {}),
          registry: server.at(['openapi'], true),
        })
      : { tools: [], diagnostics: [] };
    diagnostics.push(...generated.diagnostics);
    if (!doc || generated.diagnostics.length > 0) failed.add(server.name);
    if (doc) restApis.set(server.name, { document: doc.name, tools: generated.tools.map(withoutSource), source: server.at(['openapi'], true) });
    const tools = withSettings(server, generated.tools, diagnostics);
    return withTools(server, tools, generated.tools.map((t) => t.source));
  });
  const McpServer = servers.filter((s) => !failed.has(s.name));
  return { value: { registry: { ...registry, McpServer }, restApis, failed }, diagnostics };
}

function withoutSource(tool: GeneratedTool): IrRestApi['tools'][number] {
  return {
    tool: tool.tool,
    method: tool.method,
    path: tool.path,
    ...(tool.bodyArgument === undefined ? {} : { bodyArgument: tool.bodyArgument }),
    headers: tool.headers,
    inputSchema: tool.inputSchema,
    description: tool.description,
  };
}

/** The generated tools as McpTool entries: risk by method unless the server's `tools` entry says otherwise. */
function withSettings(server: RegistryDocument<'McpServer'>, generated: readonly GeneratedTool[], diagnostics: Diagnostic[]): McpTool[] {
  const settings = server.spec.tools ?? [];
  const names = generated.map((t) => t.tool);
  settings.forEach((entry, i) => {
    if (names.includes(entry.name) || generated.length === 0) return;
    const guess = closest(entry.name, names);
    diagnostics.push({
      code: 'openapi-tool-settings',
      severity: 'error',
      message:
        `McpServer "${server.name}": tools names "${entry.name}", which the OpenAPI document does not generate` +
        (guess ? ` (did you mean "${guess}"?)` : ''),
      location: server.at(['tools', i, 'name']),
      hint: `Generated tools: ${names.join(', ')}.`,
    });
  });
  const risk = server.spec.openapi?.risk;
  return generated.map((tool): McpTool => {
    const own = settings.find((s) => s.name === tool.tool);
    return {
      name: tool.tool,
      description: own?.description ?? tool.description,
      risk: own?.risk ?? (tool.method === 'get' ? (risk?.read ?? 'low') : (risk?.write ?? 'high')),
      ...(own?.costPerCall !== undefined ? { costPerCall: own.costPerCall } : {}),
      ...(own?.audit ? { audit: own.audit } : {}),
    };
  });
}

/** The document with its tools replaced; a generated tool's places are its operation's lines. */
function withTools(
  server: RegistryDocument<'McpServer'>,
  tools: McpTool[],
  sources: readonly SourceLocation[],
): RegistryDocument<'McpServer'> {
  return {
    kind: server.kind,
    name: server.name,
    file: server.file,
    location: server.location,
    spec: { ...server.spec, tools },
    at: (path, key) => {
      const index = path[0] === 'tools' && typeof path[1] === 'number' ? path[1] : undefined;
      const source = index === undefined ? undefined : sources[index];
      return source ?? server.at(path, key);
    },
  };
}

/** The IR with each OpenAPI server's REST mapping. */
export function withRestApis(ir: Ir, restApis: ReadonlyMap<string, IrRestApi>): Ir {
  if (restApis.size === 0) return ir;
  return {
    ...ir,
    servers: ir.servers.map((server) => {
      const rest = restApis.get(server.name);
      return rest ? { ...server, rest } : server;
    }),
  };
}
