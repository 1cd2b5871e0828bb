// Runs the Check path once, on an empty request, before a replica says it is healthy: decoding,
// policy evaluation and encoding are slow the first time in a fresh process (descriptors built
// lazily, WebAssembly compiled on first use). Without it, the first Checks a restarted replica got
// from Envoy outlived the ext_authz timeout on a loaded machine (the HA test saw it).
import { envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import type { PolicyEngine } from '../../../artifacts/src/policy/engine.ts';
import { memoryLogger } from '../log.ts';
import { decide, readCheckRequest } from './authz-service.ts';
import { encodeCheckResponse } from './check-response.ts';

export function warmUpChecks(engine: PolicyEngine, rounds = 3): void {
  const registry = envoyRegistry();
  const logger = memoryLogger();
  for (let i = 0; i < rounds; i += 1) {
    const request = readCheckRequest(new Uint8Array(), registry);
    const attributes = 'attributes' in request ? request.attributes : {};
    encodeCheckResponse(decide(engine, attributes, logger).decision, registry);
  }
}
