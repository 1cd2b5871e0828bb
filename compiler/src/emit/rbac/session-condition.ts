// The session check of an RBAC-decided tools/call, as the parsed CEL expression an RBAC policy's
// `condition` takes (Envoy 1.40 loads parsed expressions only, not CEL source text). A request
// without an `Mcp-Session-Id` passes; one with a session id passes only if jwt_authn verified it
// (artifacts/src/session-token.ts) and it was opened by this caller (issuer and sub of the caller's
// verified token) on this virtual server. The control plane makes the same check for the requests
// ext_authz decides (xds-server/src/session-binding/bind-session.ts).
import type { Json } from '../../../../artifacts/src/envoy-json.ts';
import { JWT_METADATA_NAMESPACE, JWT_PAYLOAD_KEY } from '../../../../artifacts/src/metadata-names.ts';
import { SESSION_CLAIMS, SESSION_HEADER, SESSION_PAYLOAD_KEY } from '../../../../artifacts/src/session-token.ts';

export type CelExpr = Json<'envoy.config.rbac.v3.Policy'>['condition'] & object;

const ident = (name: string): CelExpr => ({ ident_expr: { name } });
const text = (value: string): CelExpr => ({ const_expr: { string_value: value } });
const call = (fn: string, ...args: CelExpr[]): CelExpr => ({ call_expr: { function: fn, args } });
const select = (operand: CelExpr, field: string): CelExpr => ({ select_expr: { operand, field } });
/** `has(operand.field)`. */
const has = (operand: CelExpr, field: string): CelExpr => ({ select_expr: { operand, field, test_only: true } });
const index = (operand: CelExpr, key: string): CelExpr => call('_[_]', operand, text(key));
const and = (...terms: CelExpr[]): CelExpr => terms.reduce((a, b) => call('_&&_', a, b));

/** `metadata.filter_metadata['envoy.filters.http.jwt_authn']`: the verified caller and session payloads. */
const jwtMetadata = index(select(ident('metadata'), 'filter_metadata'), JWT_METADATA_NAMESPACE);
const caller = select(jwtMetadata, JWT_PAYLOAD_KEY);
const session = select(jwtMetadata, SESSION_PAYLOAD_KEY);
const hasSessionHeader = call('@in', text(SESSION_HEADER), select(ident('request'), 'headers'));

/** The request's session id, verified, is the caller's own on `virtualServer`. */
function sessionBound(virtualServer: string): CelExpr {
  // A token without `sub` is bound with an empty subject, as the control plane binds it.
  const callerSubject = call('_?_:_', has(caller, 'sub'), select(caller, 'sub'), text(''));
  return and(
    has(jwtMetadata, SESSION_PAYLOAD_KEY),
    call('_==_', select(session, SESSION_CLAIMS.callerIssuer), select(caller, 'iss')),
    call('_==_', select(session, SESSION_CLAIMS.callerSubject), callerSubject),
    call('_==_', select(session, SESSION_CLAIMS.virtualServer), text(virtualServer)),
  );
}

/** RBAC may decide the request: it has no session id, or one bound to the caller on `virtualServer`. */
export function sessionAllows(virtualServer: string): CelExpr {
  return call('_||_', call('!_', hasSessionHeader), sessionBound(virtualServer));
}

/** The request carries a session id RBAC cannot accept: ext_authz decides it (and refuses it as an unknown session). */
export function sessionRefused(virtualServer: string): CelExpr {
  return and(hasSessionHeader, call('!_', sessionBound(virtualServer)));
}
