// The reduction of the descriptor set: a root keeps its file and everything that file imports,
// transitively; files nothing needs are dropped; a root no file defines is reported.
import { create } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { reduceDescriptorSet } from './envoy-api-subset.ts';

const file = (name: string, pkg: string, messages: { name: string; nested?: string[] }[], dependency: string[] = []) =>
  create(FileDescriptorProtoSchema, {
    name,
    package: pkg,
    dependency,
    messageType: messages.map((m) => ({ name: m.name, nestedType: (m.nested ?? []).map((n) => ({ name: n })) })),
  });

const set = create(FileDescriptorSetSchema, {
  file: [
    file('base.proto', 'b', [{ name: 'Base' }]),
    file('mid.proto', 'm', [{ name: 'Mid', nested: ['Inner'] }], ['base.proto']),
    file('top.proto', 't', [{ name: 'Top' }], ['mid.proto']),
    file('unused.proto', 'u', [{ name: 'Unused' }], ['base.proto']),
  ],
});

describe('reduceDescriptorSet', () => {
  it('keeps the file of each root and its imports, transitively, in the set order', () => {
    const { files, missing } = reduceDescriptorSet(set, ['t.Top']);
    expect(files.map((f) => f.name)).toEqual(['base.proto', 'mid.proto', 'top.proto']);
    expect(missing).toEqual([]);
  });

  it('finds nested messages and drops files no root needs', () => {
    expect(reduceDescriptorSet(set, ['m.Mid.Inner']).files.map((f) => f.name)).toEqual(['base.proto', 'mid.proto']);
  });

  it('reports roots that no file defines', () => {
    const { files, missing } = reduceDescriptorSet(set, ['b.Base', 'x.Nowhere']);
    expect(files.map((f) => f.name)).toEqual(['base.proto']);
    expect(missing).toEqual(['x.Nowhere']);
  });
});
