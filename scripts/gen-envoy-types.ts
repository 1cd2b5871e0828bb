// Generates the TypeScript types of the Envoy API messages Gatehouse emits and reads, from the
// pinned Envoy API descriptor set, with protobuf-es's own code generator (protoc-gen-es), so that
// `tsc` checks every field an emitter writes. Run: `npm run gen:envoy-types` (a test fails when the
// committed files differ from what this produces).
//
// Output is declarations only (`target=dts`: no runtime code; the runtime decodes with the
// descriptor registry), with JSON types (`json_types=true`). The JSON types are keyed by the proto
// field names (`route_config_name`, not `routeConfigName`): that is the JSON Gatehouse writes, as
// Envoy's own configuration does, and `fromJson` accepts both names. protoc-gen-es keys them by each
// field's json_name, so the request sets json_name to the field name.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { clone, create, createFileRegistry, fromBinary, toBinary, type DescFile, type DescMessage, type FileRegistry } from '@bufbuild/protobuf';
import {
  CodeGeneratorRequestSchema,
  CodeGeneratorResponseSchema,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  type DescriptorProto,
  type FileDescriptorProto,
} from '@bufbuild/protobuf/wkt';
import { requireTool } from '../toolchain/src/tools.ts';
import { RESOURCE_MESSAGE, TYPE, TYPE_URL_PREFIX } from '../artifacts/src/type-urls.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the generated files are committed. */
export const ENVOY_TYPES_DIR = join(ROOT, 'artifacts/src/envoy-types');
const PLUGIN = join(ROOT, 'node_modules/.bin/protoc-gen-es');
const PARAMETER = 'target=dts,json_types=true,import_extension=js';

/**
 * The messages whose types are generated (with every message they refer to): what the compiler
 * emits (the served resources, the static bootstrap and every `typed_config` payload, which
 * type-urls.ts lists) and what the control plane reads and answers.
 */
export const ROOT_MESSAGES: readonly string[] = [
  ...Object.values(RESOURCE_MESSAGE),
  ...Object.values(TYPE).map((url) => url.slice(TYPE_URL_PREFIX.length)),
  'envoy.config.bootstrap.v3.Bootstrap',
  'envoy.service.discovery.v3.DiscoveryRequest',
  'envoy.service.discovery.v3.DiscoveryResponse',
  'envoy.service.discovery.v3.DeltaDiscoveryRequest',
  'envoy.service.discovery.v3.DeltaDiscoveryResponse',
  'envoy.service.auth.v3.CheckRequest',
  'envoy.service.auth.v3.CheckResponse',
  'envoy.service.ext_proc.v3.ProcessingRequest',
  'envoy.service.ext_proc.v3.ProcessingResponse',
  'envoy.service.accesslog.v3.StreamAccessLogsMessage',
  'envoy.service.accesslog.v3.StreamAccessLogsResponse',
];

/** The well-known types come from @bufbuild/protobuf/wkt, which the generated code imports. */
const isWellKnown = (file: string) => file.startsWith('google/protobuf/');

/** The generated files, by path relative to ENVOY_TYPES_DIR. Pure but for running the plugin. */
export function generateEnvoyTypes(descriptorSet: Uint8Array): Map<string, string> {
  const set = fromBinary(FileDescriptorSetSchema, descriptorSet);
  const registry = createFileRegistry(set);
  const generate = typeClosure(registry, ROOT_MESSAGES);
  const request = create(CodeGeneratorRequestSchema, {
    fileToGenerate: [...generate].sort(),
    parameter: PARAMETER,
    protoFile: importClosure(set.file, generate).map(withFieldNamesAsJsonNames),
  });
  const output = execFileSync(PLUGIN, { input: toBinary(CodeGeneratorRequestSchema, request), maxBuffer: 256 * 1024 * 1024 });
  const response = fromBinary(CodeGeneratorResponseSchema, output);
  if (response.error) throw new Error(`protoc-gen-es: ${response.error}`);
  const files = new Map(response.file.map((f) => [f.name, withoutSetJsonNames(f.content)]));
  files.set('index.ts', indexFile(registry, [...generate].sort()));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The files to generate: those defining the root messages, and, until nothing changes, those
 * defining any message or enum a generated file's messages, extensions or services refer to. A
 * generated file declares all of its types, so the closure is over files, not single messages.
 * (Imports that only bring options, such as validate.proto, are not followed.)
 */
function typeClosure(registry: FileRegistry, roots: readonly string[]): Set<string> {
  const files = new Set<string>();
  const pending: DescFile[] = roots.map((name) => {
    const message = registry.getMessage(name);
    if (!message) throw new Error(`the Envoy API has no message ${name}`);
    return message.file;
  });
  for (let file = pending.pop(); file; file = pending.pop()) {
    if (isWellKnown(file.proto.name) || files.has(file.proto.name)) continue;
    files.add(file.proto.name);
    const fields = [...allMessages(file.messages).flatMap((m) => m.fields), ...file.extensions];
    for (const field of fields) {
      if (field.message) pending.push(field.message.file);
      if (field.enum) pending.push(field.enum.file);
    }
    for (const ext of file.extensions) pending.push(ext.extendee.file);
    for (const method of file.services.flatMap((s) => s.methods)) pending.push(method.input.file, method.output.file);
  }
  return files;
}

function allMessages(messages: readonly DescMessage[]): DescMessage[] {
  return messages.flatMap((m) => [m, ...allMessages(m.nestedMessages)]);
}

/** The generated files and everything they import, dependencies first (the plugin builds a registry of them). */
function importClosure(all: readonly FileDescriptorProto[], generate: ReadonlySet<string>): FileDescriptorProto[] {
  const byName = new Map(all.map((f) => [f.name, f]));
  const ordered: FileDescriptorProto[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const file = byName.get(name);
    if (!file) throw new Error(`the Envoy API descriptor set lacks ${name}`);
    for (const dependency of file.dependency) visit(dependency);
    ordered.push(file);
  };
  for (const name of [...generate].sort()) visit(name);
  return ordered;
}

function withFieldNamesAsJsonNames(file: FileDescriptorProto): FileDescriptorProto {
  const copy = clone(FileDescriptorProtoSchema, file);
  const rename = (message: DescriptorProto) => {
    for (const field of message.field) field.jsonName = field.name;
    message.nestedType.forEach(rename);
  };
  copy.messageType.forEach(rename);
  return copy;
}

/** The doc comments quote each field's declaration: leave out the json_name the request set, which the .proto does not. */
function withoutSetJsonNames(content: string): string {
  return content.replace(/(@generated from field: .* (\w+) = \d+) \[(.*)\];$/gm, (_line, declaration: string, field: string, options: string) => {
    const kept = options.split(', ').filter((option) => option !== `json_name = "${field}"`);
    return kept.length > 0 ? `${declaration} [${kept.join(', ')}];` : `${declaration};`;
  });
}

/**
 * index.ts: the JSON type of every generated message by its full name, so code names a type as the
 * API does (`EnvoyJson['envoy.config.cluster.v3.Cluster']`) and never meets two `FilterJson`s.
 */
function indexFile(registry: FileRegistry, files: readonly string[]): string {
  const lines = [
    '// @generated by scripts/gen-envoy-types.ts from the pinned Envoy API: do not edit (npm run gen:envoy-types).',
    '/* eslint-disable */',
    '',
  ];
  const entries: string[] = [];
  for (const name of files) {
    const file = registry.getFile(name);
    if (!file) throw new Error(`no file ${name}`);
    const messages = allMessages(file.messages).filter((m) => !isMapEntry(m));
    if (messages.length === 0) continue;
    const alias = name.replace(/\.proto$/, '').replace(/[^a-zA-Z0-9]/g, '_'); // stable, so a new file changes only its own lines
    lines.push(`import type * as ${alias} from './${name.replace(/\.proto$/, '_pb.js')}';`);
    for (const message of messages) entries.push(`  '${message.typeName}': ${alias}.${jsonTypeName(message)};`);
  }
  lines.push(
    '',
    '/** The protobuf JSON form (proto field names) of each Envoy API message, by full name. */',
    'export interface EnvoyJson {',
    ...entries,
    '}',
    '',
  );
  return lines.join('\n');
}

function isMapEntry(message: DescMessage): boolean {
  return message.proto.options?.mapEntry === true;
}

/** protoc-gen-es names a nested message's types Parent_Child, and a message's JSON type <Name>Json. */
function jsonTypeName(message: DescMessage): string {
  const prefix = message.file.proto.package ? `${message.file.proto.package}.` : '';
  return `${message.typeName.slice(prefix.length).replace(/\./g, '_')}Json`;
}

/** [impure] Replaces the committed files with freshly generated ones. */
function main(): void {
  const files = generateEnvoyTypes(readFileSync(requireTool('envoy-api')));
  rmSync(ENVOY_TYPES_DIR, { recursive: true, force: true });
  let lines = 0;
  for (const [name, content] of files) {
    const path = join(ENVOY_TYPES_DIR, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    lines += content.split('\n').length - 1;
  }
  console.log(`wrote ${files.size} files (${lines} lines) to ${ENVOY_TYPES_DIR}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
