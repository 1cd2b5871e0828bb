// The Envoy API (exact descriptors of the pinned Envoy release, from go-control-plane) as a
// @bufbuild/protobuf registry: used to check emitted xDS JSON strictly and to encode it for ADS.
// The TypeScript types of the same messages are generated from the same descriptor set
// (envoy-types/, `npm run gen:envoy-types`), so `tsc` checks the JSON before this registry does.
// The registry holds only the messages Gatehouse emits or reads and what they import
// (envoy-api-roots.ts): a quarter of the memory of the whole API, in every process that loads it.
import { readFileSync } from 'node:fs';
import { create, createFileRegistry, fromBinary, type DescMessage, type FileRegistry } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { requireTool } from '../../toolchain/src/tools.ts';
import { envoyApiRoots } from './envoy-api-roots.ts';
import { reduceDescriptorSet } from './envoy-api-subset.ts';

let cached: FileRegistry | undefined;

/** [impure: reads the descriptor set once] The registry of the Envoy API types Gatehouse uses, and of what they import. */
export function envoyRegistry(): FileRegistry {
  if (!cached) {
    const whole = fromBinary(FileDescriptorSetSchema, readFileSync(requireTool('envoy-api')));
    const { files, missing } = reduceDescriptorSet(whole, envoyApiRoots());
    if (missing.length > 0) throw new Error(`the pinned Envoy API has no message ${missing.join(', ')}`);
    cached = createFileRegistry(create(FileDescriptorSetSchema, { file: files }));
  }
  return cached;
}

/** [impure: reads the descriptor set] The whole pinned Envoy API, for checks of what the control plane writes but never reads (an Envoy bootstrap). */
export function wholeEnvoyRegistry(): FileRegistry {
  return createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(requireTool('envoy-api'))));
}

/** A message type by full name; throws when the pinned Envoy API has no such type (a bug, not user error). */
export function envoyMessage(typeName: string): DescMessage {
  const message = envoyRegistry().getMessage(typeName);
  if (!message) throw new Error(`the Envoy API has no message ${typeName}`);
  return message;
}
