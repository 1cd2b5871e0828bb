// The OAuth protected-resource metadata (RFC 9728) a gateway publishes for each virtual server it
// serves. The compiler writes one document per virtual server and gateway into the fleet's routes;
// the control plane reads them back to know each endpoint's public URL (registry-api/).

export const PRM_PREFIX = '/.well-known/oauth-protected-resource';

/** The path of one virtual server's metadata document on its gateway. */
export function metadataPath(virtualServer: string): string {
  return `${PRM_PREFIX}/mcp/${virtualServer}`;
}

/** The metadata document (RFC 9728 section 2), as the compiler writes it. */
export interface ProtectedResourceMetadata {
  /** The virtual server's endpoint: `<gateway publicUrl>/mcp/<virtual server>`. */
  readonly resource: string;
  /** The virtual server's description. */
  readonly resource_name: string;
  readonly authorization_servers: readonly string[];
  readonly bearer_methods_supported: readonly string[];
  readonly scopes_supported: readonly string[];
}
