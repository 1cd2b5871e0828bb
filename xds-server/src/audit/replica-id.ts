// The id that names a control-plane replica's audit streams (`<gateway>.<replica>`): given with
// `serve --replica-id`, or taken from the host name (a Kubernetes pod's name is unique and stable
// across the pod's restarts, which is what a stream needs).

const REPLICA_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function isReplicaId(text: string): boolean {
  return REPLICA_ID.test(text);
}

/** A replica id from a host name: its first label, lower-cased, with any other character made a hyphen. */
export function replicaIdOfHost(hostname: string): string {
  const label = (hostname.split('.')[0] ?? '').toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return label === '' ? 'replica' : label;
}
