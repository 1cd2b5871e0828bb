// What Envoy's RBAC filter decided about a request, from the dynamic metadata Envoy logged or sent
// with it: whether an `rbac:` policy (a tool call decided at compile time, compiler/src/emit/rbac/)
// allowed it, in which case no ext_authz call was made.
import { RBAC_DECIDED_PREFIX, RBAC_METADATA_NAMESPACE, RBAC_POLICY_KEY } from '../../../artifacts/src/metadata-names.ts';

/** The `rbac:` policy that allowed the request; undefined when none did (RBAC passed it on to ext_authz, denied it, or did not run). */
export function allowingRbacPolicy(filterMetadata: Readonly<Record<string, unknown>>): string | undefined {
  const rbac = filterMetadata[RBAC_METADATA_NAMESPACE];
  const policy = rbac && typeof rbac === 'object' ? (rbac as Record<string, unknown>)[RBAC_POLICY_KEY] : undefined;
  return typeof policy === 'string' && policy.startsWith(RBAC_DECIDED_PREFIX) ? policy : undefined;
}
