// Strict decoding of emitted resources with the exact Envoy API: a misspelt field, a wrong enum
// value or an unknown `@type` is an error here, instead of being dropped silently by an encoder.
import { fromJson, toBinary } from '@bufbuild/protobuf';
import { envoyMessage, envoyRegistry } from '../../../../artifacts/src/envoy-registry.ts';
import { resourceName, type FleetResources } from '../../../../artifacts/src/fleet-resources.ts';
import { RESOURCE_MESSAGE, RESOURCE_TYPES } from '../../../../artifacts/src/type-urls.ts';

/** Problems found, one sentence each, naming the resource. */
export function checkAgainstEnvoyApi(fleet: FleetResources): string[] {
  const registry = envoyRegistry();
  const problems: string[] = [];
  for (const type of RESOURCE_TYPES) {
    if (type === 'secrets') continue; // references only; the control plane builds the Secret messages
    const schema = envoyMessage(RESOURCE_MESSAGE[type]);
    for (const resource of fleet[type]) {
      try {
        toBinary(schema, fromJson(schema, resource as never, { registry }));
      } catch (error) {
        problems.push(`${type} "${resourceName(resource)}": ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return problems;
}
