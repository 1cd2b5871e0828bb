// Names that the emitted Envoy configuration and the control plane must agree on: the cluster that
// reaches the control plane, and where Envoy's filters put the facts the control plane reads.

export const CONTROL_PLANE_CLUSTER = 'gatehouse-control-plane';
export const MCP_METADATA_NAMESPACE = 'envoy.filters.http.mcp';
export const JWT_METADATA_NAMESPACE = 'envoy.filters.http.jwt_authn';
export const JWT_PAYLOAD_KEY = 'jwt_payload';
/** Where jwt_authn records why it rejected a token (dynamic metadata), so local replies can map it. */
export const JWT_FAILURE_KEY = 'jwt_failure';
