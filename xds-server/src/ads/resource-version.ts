// The version of one xDS resource for delta xDS: a hash of its encoded bytes. The same content has
// the same version in every snapshot and on every replica, so a node that reconnects (to this
// control plane after a restart, or to another one) is sent only what really differs.
import { createHash } from 'node:crypto';
import type { AnyMessage } from '../proto/messages.ts';

/** Versions of snapshot resources, computed once per resource object however many streams ask. */
const versions = new WeakMap<AnyMessage, string>();

export function resourceVersion(resource: AnyMessage): string {
  let version = versions.get(resource);
  if (version === undefined) {
    version = createHash('sha256').update(resource.typeUrl).update('\0').update(resource.value).digest('hex').slice(0, 16);
    versions.set(resource, version);
  }
  return version;
}
