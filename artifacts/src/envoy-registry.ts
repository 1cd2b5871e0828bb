// The Envoy API (exact descriptors of the pinned Envoy release, from go-control-plane) as a
// @bufbuild/protobuf registry: used to check emitted xDS JSON strictly and to encode it for ADS.
// The TypeScript types of the same messages are generated from the same descriptor set
// (envoy-types/, `npm run gen:envoy-types`), so `tsc` checks the JSON before this registry does.
import { readFileSync } from 'node:fs';
import { createFileRegistry, fromBinary, type DescMessage, type FileRegistry } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { requireTool } from '../../toolchain/src/tools.ts';

let cached: FileRegistry | undefined;

/** [impure: reads the descriptor set once] The registry of every Envoy v3 API type. */
export function envoyRegistry(): FileRegistry {
  if (!cached) {
    const bytes = readFileSync(requireTool('envoy-api'));
    cached = createFileRegistry(fromBinary(FileDescriptorSetSchema, bytes));
  }
  return cached;
}

/** A message type by full name; throws when the pinned Envoy API has no such type (a bug, not user error). */
export function envoyMessage(typeName: string): DescMessage {
  const message = envoyRegistry().getMessage(typeName);
  if (!message) throw new Error(`the Envoy API has no message ${typeName}`);
  return message;
}
