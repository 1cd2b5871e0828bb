// Reduces the Envoy API descriptor set to the files that define the messages Gatehouse uses
// (envoy-api-roots.ts) and the files those import, transitively. The whole Envoy API is about
// 900 files; a registry of all of them costs every control plane tens of MiB it never reads.
import type { DescriptorProto, FileDescriptorProto, FileDescriptorSet } from '@bufbuild/protobuf/wkt';

/** Full message names (package.Outer.Inner) defined by a file. */
function messageNames(file: FileDescriptorProto): string[] {
  const out: string[] = [];
  const walk = (prefix: string, messages: readonly DescriptorProto[]) => {
    for (const m of messages) {
      const name = `${prefix}${m.name}`;
      out.push(name);
      walk(`${name}.`, m.nestedType);
    }
  };
  walk(file.package ? `${file.package}.` : '', file.messageType);
  return out;
}

/**
 * [pure] The files of `set` needed for `roots`, in the set's order (dependencies before dependents,
 * as protoc writes them), and the roots no file defines.
 */
export function reduceDescriptorSet(set: FileDescriptorSet, roots: readonly string[]): { files: FileDescriptorProto[]; missing: string[] } {
  const byName = new Map(set.file.map((f) => [f.name, f]));
  const definedIn = new Map<string, string>();
  for (const file of set.file) for (const name of messageNames(file)) definedIn.set(name, file.name);
  const keep = new Set<string>();
  const missing: string[] = [];
  const visit = (fileName: string) => {
    if (keep.has(fileName)) return;
    keep.add(fileName);
    for (const dependency of byName.get(fileName)?.dependency ?? []) visit(dependency);
  };
  for (const root of roots) {
    const file = definedIn.get(root);
    if (file === undefined) missing.push(root);
    else visit(file);
  }
  return { files: set.file.filter((f) => keep.has(f.name)), missing };
}
