// Reads the OpenAPI documents McpServers name: a file in the repository (read like a local JWKS: inside
// the root, at most 1 MiB) or a URL fetched and checked against its pinned SHA-256; then parsed with
// positions (so diagnostics can name the document's lines) and validated and dereferenced by
// @apidevtools/swagger-parser (external `$ref`s and recursive schemas are refused: a tool's input schema
// must stand alone).
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.ts';
import type { OpenApiSource } from '../schema/openapi-source.ts';
import { MAX_FILE_BYTES } from '../source/limits.ts';
import { parseFile, type NodePath } from '../source/parse-yaml.ts';
import type { SourceFile } from '../source/read-tree.ts';
import type { RegistryDocument } from '../validate/registry-document.ts';
import { runTasksSync, type WorkerTask } from './run-sync.ts';

export interface OpenApiRequest {
  readonly source: OpenApiSource;
  readonly server: RegistryDocument<'McpServer'>;
}

export interface LoadedOpenApi {
  /** The document's repository path or URL. */
  readonly name: string;
  /** The document with every `$ref` resolved. */
  readonly api: Readonly<Record<string, unknown>>;
  /** Where the node at a path of the document (as written, before dereferencing) is. */
  readonly locate: (path: NodePath) => SourceLocation;
}

const FETCH_TIMEOUT_MS = 10_000;
const WORKER_TIMEOUT_MS = 30_000;

/** [impure: reads files, fetches URLs] The documents by server name, and what was wrong with the others. */
export function loadOpenApiDocuments(
  requests: readonly OpenApiRequest[],
  readReferenced: (path: string) => SourceFile,
): { documents: Map<string, LoadedOpenApi>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const texts = new Map<string, { name: string; text: string }>();
  const fetches: { request: OpenApiRequest; url: string; sha256: string }[] = [];
  for (const request of requests) {
    const { file, url, sha256 } = request.source;
    const at = request.server.at(['openapi'], true);
    if ((file === undefined) === (url === undefined)) {
      diagnostics.push(error({ code: 'openapi-source' }, `McpServer "${request.server.name}": openapi needs exactly one of file and url`, at));
    } else if (url !== undefined) {
      if (sha256 === undefined) {
        diagnostics.push({
          ...error({ code: 'openapi-source' }, `McpServer "${request.server.name}": openapi.url needs sha256, so the tools cannot change unreviewed`, at),
          hint: `Add sha256: the output of \`curl -s ${url} | sha256sum\`, after reading the document.`,
        });
      } else {
        fetches.push({ request, url, sha256 });
      }
    } else if (file !== undefined) {
      const read = readReferenced(file);
      if (read.text === undefined) {
        diagnostics.push(
          error({ code: read.refused ?? 'openapi-document' }, `McpServer "${request.server.name}": cannot read ${file}: ${read.readError ?? 'unreadable'}`, at),
        );
      } else {
        texts.set(request.server.name, { name: file, text: read.text });
      }
    }
  }

  const fetched = runTasksSync(
    fetches.map((f): WorkerTask => ({ kind: 'fetch', url: f.url, maxBytes: MAX_FILE_BYTES, timeoutMs: FETCH_TIMEOUT_MS })),
    WORKER_TIMEOUT_MS,
  );
  fetches.forEach((f, i) => {
    const result = fetched[i];
    const at = f.request.server.at(['openapi', 'url']);
    if (!result?.ok) {
      const why = result?.ok === false ? result.error : 'no answer';
      diagnostics.push(error({ code: 'openapi-fetch' }, `McpServer "${f.request.server.name}": cannot fetch ${f.url}: ${why}`, at));
    } else if (result.sha256 !== f.sha256) {
      diagnostics.push({
        ...error({ code: 'openapi-fetch' }, `McpServer "${f.request.server.name}": ${f.url} has SHA-256 ${result.sha256 ?? '?'}, not ${f.sha256}`, at),
        hint: 'The document changed since it was pinned: review the change, then update sha256.',
      });
    } else {
      texts.set(f.request.server.name, { name: f.url, text: result.text ?? '' });
    }
  });

  const parsed: { server: string; name: string; value: unknown; locate: LoadedOpenApi['locate'] }[] = [];
  for (const [server, { name, text }] of texts) {
    const file = parseFile(name, text);
    diagnostics.push(...file.diagnostics);
    const [only, second] = file.documents;
    if (!only) continue;
    if (second) {
      diagnostics.push(error({ code: 'openapi-document' }, `${name} holds several YAML documents; an OpenAPI document is one`, second.locate([])));
      continue;
    }
    const version = (only.value as { openapi?: unknown } | null)?.openapi;
    if (typeof version !== 'string' || !/^3\.[01]\.\d+$/.test(version)) {
      diagnostics.push({
        ...error({ code: 'openapi-document' }, `${name} is not an OpenAPI 3.0 or 3.1 document (openapi: ${JSON.stringify(version ?? null)})`, only.locate([])),
        hint: 'Convert Swagger 2.0 documents to OpenAPI 3 first (for example with swagger2openapi).',
      });
      continue;
    }
    parsed.push({ server, name, value: only.value, locate: (path) => only.locate(path) });
  }

  const documents = new Map<string, LoadedOpenApi>();
  const results = runTasksSync(
    parsed.map((p): WorkerTask => ({ kind: 'parse', document: p.value })),
    WORKER_TIMEOUT_MS,
  );
  parsed.forEach((p, i) => {
    const result = results[i];
    if (result?.ok && typeof result.api === 'object' && result.api !== null) {
      const external = externalRef(result.api, []);
      if (external) {
        diagnostics.push({
          ...error({ code: 'openapi-document' }, `${p.name}: a $ref to another document (${external.ref}) is not followed`, p.locate(external.path)),
          hint: 'Bring the referenced schema into the document (components), so each tool\'s input schema stands alone.',
        });
        return;
      }
      documents.set(p.server, { name: p.name, api: result.api as Record<string, unknown>, locate: p.locate });
      return;
    }
    const message = result?.ok === false ? result.error : 'no document';
    diagnostics.push({
      ...error({ code: 'openapi-document' }, `${p.name} is not a valid OpenAPI document: ${firstLines(message)}`, p.locate(pointerIn(message))),
      hint: 'Check it with any OpenAPI validator; Gatehouse uses @apidevtools/swagger-parser. `$ref`s must stay inside the document and must not recurse.',
    });
  });
  return { documents, diagnostics };
}

/** The first `$ref` left after dereferencing (one to another file or URL), and where it is. Bounded by the document's size. */
function externalRef(value: unknown, path: (string | number)[]): { ref: string; path: NodePath } | undefined {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = externalRef(item, [...path, i]);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') return { ref: item, path };
      const found = externalRef(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

function error({ code }: Pick<Diagnostic, 'code'>, message: string, location: SourceLocation): Diagnostic {
  return { code, severity: 'error', message, location };
}

function firstLines(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.slice(0, 3).join('; ');
}

/** The first JSON pointer (`#/paths/~1items/get`) a validation message names, as a path. */
export function pointerIn(message: string): NodePath {
  const match = /#(\/[^\s'",]*)/.exec(message);
  if (!match?.[1]) return [];
  return match[1]
    .split('/')
    .slice(1)
    .map((part) => decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~')));
}
