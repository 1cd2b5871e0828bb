// The stages of the front half, shared by lint and compile: sources -> parsed YAML -> schema-valid
// documents -> cross-checked -> IR. Pure apart from reading: the tree (read) and the files the registry
// refers to (through the reader the caller gives).
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Ir } from '../ir/types.ts';
import { buildIr } from '../resolve/build-ir.ts';
import type { IrRestApi } from '../ir/rest.ts';
import { resolveOpenApi, withRestApis } from '../openapi/openapi-stage.ts';
import type { Kind } from '../schema/kinds.ts';
import { parseRegistryFiles, type ParsedDocument } from '../source/parse-yaml.ts';
import { readTree, type SourceFile, type SourceTree } from '../source/read-tree.ts';
import type { DocumentsByKind } from '../validate/registry-document.ts';
import { validateReferences } from '../validate/validate-references.ts';
import { validateSchemas } from '../validate/validate-schema.ts';
import type { Stage } from './stages.ts';

export interface RegistryInput {
  readonly root: string;
  /** Reads a file the registry refers to (a local JWKS), by its path under root. */
  readonly readReferenced: (path: string) => SourceFile;
}

/** [impure: reads the files under root] */
export const READ: Stage<RegistryInput, { tree: SourceTree }> = {
  name: 'read',
  stopsOnError: false,
  run: ({ root }) => {
    const tree = readTree(root);
    return { value: { tree }, diagnostics: tree.refused };
  },
  summary: ({ value }) => `${value?.tree.files.length ?? 0} files`,
};

/** Without a registry/ folder there is nothing to parse, and the run ends. */
export const PARSE: Stage<{ tree: SourceTree }, { documents: readonly ParsedDocument[]; parseFailed: boolean }> = {
  name: 'parse',
  stopsOnError: false,
  run: ({ tree }) => {
    if (tree.missing.includes('registry')) return { value: undefined, diagnostics: [noRegistry(tree.root)] };
    const parsed = parseRegistryFiles(tree.files);
    return { value: { documents: parsed.value ?? [], parseFailed: hasErrors(parsed.diagnostics) }, diagnostics: parsed.diagnostics };
  },
  summary: ({ value }) => `${value?.documents.length ?? 0} documents`,
};

/** Schema errors do not end the run here, so that reference errors in the valid documents are reported with them. */
export const VALIDATE: Stage<
  { documents: readonly ParsedDocument[]; parseFailed: boolean },
  { registry: DocumentsByKind; invalidNames: ReadonlyMap<Kind, ReadonlySet<string>>; schemaFailed: boolean }
> = {
  name: 'validate',
  stopsOnError: false,
  run: ({ documents, parseFailed }) => {
    const schema = validateSchemas(documents);
    // A file that does not parse may define anything: checking references now would only add noise.
    const value = parseFailed ? undefined : { registry: schema.value, invalidNames: schema.invalidNames, schemaFailed: hasErrors(schema.diagnostics) };
    return { value, diagnostics: schema.diagnostics };
  },
};

/**
 * Reads the OpenAPI documents McpServers name and generates their tools (openapi/openapi-stage.ts),
 * so that references to generated tools are checked like any others. Its errors end the run at RESOLVE.
 */
export const OPENAPI: Stage<
  RegistryInput & { registry: DocumentsByKind; invalidNames: ReadonlyMap<Kind, ReadonlySet<string>> },
  { registry: DocumentsByKind; restApis: ReadonlyMap<string, IrRestApi>; openApiFailed: boolean; invalidNames: ReadonlyMap<Kind, ReadonlySet<string>> }
> = {
  name: 'openapi',
  stopsOnError: false,
  run: ({ registry, readReferenced, invalidNames }) => {
    const resolved = resolveOpenApi(registry, readReferenced);
    if (!resolved.value) return { value: undefined, diagnostics: resolved.diagnostics };
    const { failed, ...rest } = resolved.value;
    const invalid = new Map(invalidNames);
    invalid.set('McpServer', new Set([...(invalidNames.get('McpServer') ?? []), ...failed]));
    return { value: { ...rest, invalidNames: invalid, openApiFailed: hasErrors(resolved.diagnostics) }, diagnostics: resolved.diagnostics };
  },
  summary: ({ value }) => `${value?.restApis.size ?? 0} documents`,
};

/** Reads the JWKS files identity providers name, and checks every reference. The IR needs a valid registry. */
export const RESOLVE: Stage<
  RegistryInput & { registry: DocumentsByKind; invalidNames: ReadonlyMap<Kind, ReadonlySet<string>>; schemaFailed: boolean; openApiFailed: boolean },
  { referenced: ReadonlyMap<string, SourceFile> }
> = {
  name: 'resolve',
  stopsOnError: false,
  run: ({ registry, invalidNames, schemaFailed, openApiFailed, readReferenced }) => {
    const referenced = new Map<string, SourceFile>();
    for (const idp of registry.IdentityProvider) {
      const file = idp.spec.jwks.file;
      if (file && !referenced.has(file)) referenced.set(file, readReferenced(file));
    }
    const diagnostics = validateReferences(registry, referenced, invalidNames);
    return { value: schemaFailed || openApiFailed || hasErrors(diagnostics) ? undefined : { referenced }, diagnostics };
  },
};

/** An IR exists only for a registry without errors; in compile, stopping here also covers the policies' errors. */
export const BUILD_IR: Stage<
  { registry: DocumentsByKind; referenced: ReadonlyMap<string, SourceFile>; restApis: ReadonlyMap<string, IrRestApi> },
  { ir: Ir }
> = {
  name: 'ir',
  stopsOnError: true,
  run: ({ registry, referenced, restApis }) => {
    const ir = buildIr(registry, referenced);
    return { value: hasErrors(ir.diagnostics) ? undefined : { ir: withRestApis(ir.value, restApis) }, diagnostics: ir.diagnostics };
  },
};

function noRegistry(root: string): Diagnostic {
  return {
    code: 'no-registry',
    severity: 'error',
    message: `no registry/ folder under ${root}`,
    hint: 'Run gatehouse from the repository root, or pass --root DIR.',
  };
}
