// An OpenAPI document's operations as tools: which operations are offered (include, exclude), their
// names (operationId, rename), descriptions and input schemas, and the REST request Envoy's
// mcp_json_rest_bridge makes for each. Whatever the bridge cannot carry is a diagnostic at the
// document's line (and names the registry's line), never a tool that misbehaves. Pure.
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.ts';
import type { IrRestTool, RestMethod } from '../ir/rest.ts';
import type { OpenApiSource } from '../schema/openapi-source.ts';
import { selectTools } from '../util/glob.ts';
import type { LoadedOpenApi } from './load-document.ts';

export interface GeneratedTool extends IrRestTool {
  readonly operationId: string;
  readonly source: SourceLocation;
}

/** What the document is served with: the server's upstream path and its injected credential header, if any. */
export interface RestContext {
  readonly server: string;
  readonly upstreamPath: string;
  readonly credentialHeader?: string;
  /** The registry line of the server's `openapi`, quoted in every diagnostic. */
  readonly registry: SourceLocation;
}

const BRIDGE_METHODS: readonly RestMethod[] = ['get', 'put', 'post', 'delete', 'patch'];
const OTHER_METHODS = ['head', 'options', 'trace'];
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
/** Headers OpenAPI says parameters cannot define (they are ignored), and the ones Envoy owns. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function generateTools(
  doc: LoadedOpenApi,
  source: OpenApiSource,
  ctx: RestContext,
): { tools: GeneratedTool[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const where = `(McpServer "${ctx.server}", ${ctx.registry.file}:${ctx.registry.line})`;
  const problem = ({ code }: Pick<Diagnostic, 'code'>, message: string, location: SourceLocation, hint?: string): void => {
    diagnostics.push({ code, severity: 'error', message: `${message} ${where}`, location, ...(hint ? { hint } : {}) });
  };
  const unsupported = (message: string, location: SourceLocation): void => {
    const hint = 'Envoy\'s mcp_json_rest_bridge cannot carry this; exclude the operation (openapi.exclude) or change the API.';
    problem({ code: 'openapi-unsupported' }, message, location, hint);
  };

  const basePath = serverPath(doc, ctx, unsupported);
  const securitySchemes = isObj(doc.api.components) && isObj(doc.api.components.securitySchemes) ? doc.api.components.securitySchemes : {};
  const tools: GeneratedTool[] = [];
  const paths = isObj(doc.api.paths) ? doc.api.paths : {};
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    for (const method of [...BRIDGE_METHODS, ...OTHER_METHODS]) {
      const op = item[method];
      if (!isObj(op)) continue;
      const at = doc.locate(['paths', path, method]);
      const operationId = str(op.operationId);
      if (operationId) operationIds.add(operationId);
      const tags = (Array.isArray(op.tags) ? op.tags : []).filter((t) => typeof t === 'string');
      if (!selected(source, { operationId, path, tags })) continue;
      if (!operationId) {
        const message = `${method.toUpperCase()} ${path} has no operationId, which names its tool`;
        problem({ code: 'openapi-operation' }, message, at, 'Give it an operationId, or exclude it.');
        continue;
      }
      if (!(BRIDGE_METHODS as readonly string[]).includes(method)) {
        unsupported(`${operationId}: ${method.toUpperCase()} operations cannot be tools (the bridge makes GET, PUT, POST, DELETE and PATCH requests)`, at);
        continue;
      }
      const name = source.rename?.[operationId] ?? operationId;
      if (!TOOL_NAME.test(name)) {
        problem(
          { code: 'openapi-operation' },
          `operationId "${operationId}" is not a valid tool name (A-Z a-z 0-9 _ - ., at most 128)`,
          doc.locate(['paths', path, method, 'operationId']),
          `Name the tool with openapi.rename: { ${operationId}: a_name }.`,
        );
        continue;
      }
      if (tools.some((t) => t.tool === name)) {
        problem({ code: 'openapi-operation' }, `two operations become the tool "${name}"`, at, 'Rename one of them (openapi.rename).');
        continue;
      }
      const opAt = (...rest: (string | number)[]) => doc.locate(['paths', path, method, ...rest]);
      if (Array.isArray(op.servers) || Array.isArray(item.servers)) {
        unsupported(`${operationId}: operation or path servers (a base path of its own) are not carried; every tool uses the document's server`, at);
        continue;
      }
      const security = Array.isArray(op.security) ? op.security : Array.isArray(doc.api.security) ? doc.api.security : [];
      const securityProblem = checkSecurity(security, securitySchemes, ctx.credentialHeader);
      if (securityProblem) {
        unsupported(`${operationId}: ${securityProblem}`, Array.isArray(op.security) ? opAt('security') : doc.locate(['security']));
        continue;
      }
      const tool = buildTool({ doc, ctx, op, item, path, method: method as RestMethod, operationId, name, basePath, opAt, unsupported });
      if (tool) tools.push(tool);
    }
  }
  for (const operationId of Object.keys(source.rename ?? {})) {
    if (!operationIds.has(operationId)) problem({ code: 'openapi-operation' }, `openapi.rename names "${operationId}", which no operation has`, ctx.registry);
  }
  if (tools.length === 0 && diagnostics.length === 0) {
    const hint = 'Check openapi.include and openapi.exclude.';
    problem({ code: 'openapi-operation' }, `${doc.name}: no operation is selected, so the server would have no tools`, ctx.registry, hint);
  }
  return { tools, diagnostics };
}

function selected(source: OpenApiSource, op: { operationId: string | undefined; path: string; tags: readonly string[] }): boolean {
  const matches = (rule: NonNullable<OpenApiSource['include']>[number]) =>
    (rule.operationId === undefined || (op.operationId !== undefined && selectTools(rule.operationId, [op.operationId]).length > 0)) &&
    (rule.tag === undefined || op.tags.includes(rule.tag)) &&
    (rule.path === undefined || selectTools(rule.path, [op.path]).length > 0);
  const included = source.include === undefined || source.include.some(matches);
  return included && !(source.exclude ?? []).some(matches);
}

/** The base path: the upstream URL's path and the document's server URL's path. One server only. */
function serverPath(doc: LoadedOpenApi, ctx: RestContext, unsupported: (message: string, at: SourceLocation) => void): string {
  const servers = objects(doc.api.servers);
  const upstream = ctx.upstreamPath.replace(/\/+$/, '');
  if (servers.length > 1) {
    const message = `${doc.name} lists ${servers.length} servers; the bridge sends every call to the server's upstream, with one base path`;
    unsupported(message, doc.locate(['servers', 1]));
  }
  const first = servers[0];
  const url = first ? str(first.url) : undefined;
  if (!first || !url) return upstream;
  const variables = isObj(first.variables) ? first.variables : {};
  const expanded = url.replace(/\{([^}]+)\}/g, (_m, v: string) => {
    const variable = variables[v];
    return isObj(variable) ? (str(variable.default) ?? '') : '';
  });
  let path: string;
  try {
    path = new URL(expanded, 'http://base.invalid').pathname;
  } catch {
    path = '';
  }
  return `${upstream}${path.replace(/\/+$/, '')}`;
}

/**
 * Why the operation's security cannot be met, or undefined when it can: some alternative must be
 * empty (optional security) or need only what Envoy injects, the server's credential header
 * (`Authorization` for http bearer/basic, the key's header for apiKey in a header).
 */
function checkSecurity(security: readonly unknown[], schemes: Obj, credentialHeader: string | undefined): string | undefined {
  if (security.length === 0) return undefined;
  const reasons: string[] = [];
  for (const requirement of security) {
    if (!isObj(requirement)) continue;
    const names = Object.keys(requirement);
    const why = names.map((name) => schemeProblem(name, schemes[name], credentialHeader)).find((r) => r !== undefined);
    if (why === undefined) return undefined;
    reasons.push(why);
  }
  return `its security cannot be met by the injected credential: ${[...new Set(reasons)].join('; ')}`;
}

function schemeProblem(name: string, scheme: unknown, credentialHeader: string | undefined): string | undefined {
  if (!isObj(scheme)) return `security scheme "${name}" is not defined`;
  const type = str(scheme.type);
  const header = credentialHeader?.toLowerCase();
  if (type === 'http') {
    if (header === 'authorization') return undefined;
    return `scheme "${name}" (http ${str(scheme.scheme) ?? ''}) needs the server's credential in the Authorization header`;
  }
  if (type === 'apiKey' && scheme.in === 'header') {
    if (header !== undefined && header === str(scheme.name)?.toLowerCase()) return undefined;
    return `scheme "${name}" (API key in header ${str(scheme.name) ?? '?'}) needs the server's credential with that header`;
  }
  return `scheme "${name}" (${type ?? '?'}${type === 'apiKey' ? ` in ${str(scheme.in) ?? '?'}` : ''}) is not an injected header credential`;
}

interface BuildInput {
  readonly doc: LoadedOpenApi;
  readonly ctx: RestContext;
  readonly op: Obj;
  readonly item: Obj;
  readonly path: string;
  readonly method: RestMethod;
  readonly operationId: string;
  readonly name: string;
  readonly basePath: string;
  readonly opAt: (...rest: (string | number)[]) => SourceLocation;
  readonly unsupported: (message: string, at: SourceLocation) => void;
}

const PRIMITIVES = new Set(['string', 'integer', 'number', 'boolean']);
const isPrimitive = (schema: Obj) => typeof schema.type === 'string' && PRIMITIVES.has(schema.type);
const isPrimitiveArray = (schema: Obj) => schema.type === 'array' && isObj(schema.items) && isPrimitive(schema.items);

function buildTool(input: BuildInput): GeneratedTool | undefined {
  const { doc, ctx, op, item, path, operationId, opAt, unsupported } = input;
  const method = input.method;
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const headers: { header: string; argument: string }[] = [];
  const failures: string[] = [];
  const fail = (message: string, at: SourceLocation) => {
    unsupported(`${operationId}: ${message}`, at);
    failures.push(message);
  };
  // Operation parameters override path-level ones of the same name and location.
  const pathParams = objects(item.parameters).map((p, i) => ({ p, at: doc.locate(['paths', path, 'parameters', i]) }));
  const opParams = objects(op.parameters).map((p, i) => ({ p, at: opAt('parameters', i) }));
  const key = (p: Obj) => `${str(p.in) ?? ''}:${str(p.name) ?? ''}`;
  const params = [...pathParams.filter((a) => !opParams.some((b) => key(b.p) === key(a.p))), ...opParams];
  for (const { p, at } of params) {
    const name = str(p.name) ?? '';
    const location = str(p.in) ?? '';
    const schema = isObj(p.schema) ? p.schema : undefined;
    if (location === 'header' && IGNORED_HEADERS.has(name.toLowerCase())) continue;
    if (location === 'cookie') {
      fail(`cookie parameter "${name}" (the gateway forwards no cookies)`, at);
      continue;
    }
    if (!schema) {
      fail(`parameter "${name}" is described by content, not schema`, at);
      continue;
    }
    if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      fail(`parameter name "${name}" cannot be a tool argument (A-Z a-z 0-9 _ - only)`, at);
      continue;
    }
    if (name in properties) {
      fail(`two parameters are named "${name}" (in different places); tool arguments need distinct names`, at);
      continue;
    }
    const style = str(p.style);
    if (location === 'path' || location === 'header') {
      if ((style ?? 'simple') !== 'simple' || !isPrimitive(schema)) {
        fail(`${location} parameter "${name}" must be a string, number or boolean in simple style`, at);
        continue;
      }
      if (location === 'header') {
        if (ctx.credentialHeader?.toLowerCase() === name.toLowerCase()) {
          fail(`header parameter "${name}" is the header Envoy injects the server's credential into`, at);
          continue;
        }
        headers.push({ header: name.toLowerCase(), argument: name });
      }
    } else if (location === 'query') {
      const explode = p.explode !== false;
      if ((style ?? 'form') !== 'form' || !(isPrimitive(schema) || (isPrimitiveArray(schema) && explode))) {
        fail(`query parameter "${name}" must be a primitive, or an array of primitives in form style with explode (name=a&name=b)`, at);
        continue;
      }
    } else {
      fail(`parameter "${name}" is in "${location}"`, at);
      continue;
    }
    const description = str(p.description);
    properties[name] = description && !('description' in schema) ? { ...schema, description } : schema;
    if (p.required === true || location === 'path') required.push(name);
  }

  let bodyArgument: string | undefined;
  const requestBody = isObj(op.requestBody) ? op.requestBody : undefined;
  if (requestBody) {
    const content = isObj(requestBody.content) ? requestBody.content : {};
    const json = Object.keys(content).find((type) => /^application\/([a-z0-9.+-]*\+)?json(\s*;.*)?$/i.test(type));
    const media = json ? content[json] : undefined;
    if (!json || !isObj(media)) {
      fail(`the request body is ${Object.keys(content).join(', ') || 'without content'}; the bridge sends JSON bodies only`, opAt('requestBody'));
    } else {
      bodyArgument = 'body' in properties ? 'requestBody' : 'body';
      const description = str(requestBody.description);
      const schema = isObj(media.schema) ? media.schema : {};
      properties[bodyArgument] = description && !('description' in schema) ? { ...schema, description } : schema;
      if (requestBody.required === true) required.push(bodyArgument);
    }
  }
  if (failures.length > 0) return undefined;
  const summary = str(op.summary);
  const details = str(op.description);
  const description = [summary, details].filter((s) => s !== undefined && s !== '').join('\n\n').slice(0, 2000);
  return {
    tool: input.name,
    operationId,
    method,
    path: `${input.basePath}${path}`,
    ...(bodyArgument ? { bodyArgument } : {}),
    headers,
    inputSchema: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) },
    description,
    source: doc.locate(['paths', path, method, 'operationId']),
  };
}
