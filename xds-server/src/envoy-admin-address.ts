// Where an Envoy serves its own admin interface. A unix socket by default: the admin interface can
// dump configuration, drain listeners and quit Envoy, so only the socket's owner may reach it (mode
// 0600). A loopback TCP port is for operators who ask for one; any local user can reach it.

export type EnvoyAdminAddress = { readonly socket: string } | { readonly port: number };

/** The socket's mode: owner read and write only. */
export const ADMIN_SOCKET_MODE = 0o600;

/** The bootstrap's `admin` block for this address. */
export function adminBootstrap(address: EnvoyAdminAddress): { address: Record<string, unknown> } {
  if ('socket' in address) return { address: { pipe: { path: address.socket, mode: ADMIN_SOCKET_MODE } } };
  return { address: { socket_address: { address: '127.0.0.1', port_value: address.port } } };
}

/** How to reach it with curl, for messages to people. */
export function describeAdmin(address: EnvoyAdminAddress): string {
  return 'socket' in address ? `curl --unix-socket ${address.socket} http://envoy/ready` : `http://127.0.0.1:${address.port}/ready`;
}
