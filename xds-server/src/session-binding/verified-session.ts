// The session id of a request as Envoy verified it (artifacts/src/session-token.ts): jwt_authn puts
// a verified session id's payload in the request's dynamic metadata, which Envoy sends with a Check,
// an ext_proc stream and an access-log entry alike. A client cannot write metadata, so what is here
// is what the control plane signed. Read by the session check (bind-session.ts) and the session
// counts (subject-limits/).
import type { PolicyInput } from '../authz/check-input.ts';
import { JWT_METADATA_NAMESPACE } from '../../../artifacts/src/metadata-names.ts';
import { SESSION_CLAIMS, SESSION_PAYLOAD_KEY } from '../../../artifacts/src/session-token.ts';
import type { SessionBinding } from './session-signer.ts';

/** A session id jwt_authn verified: whom it is bound to, and the upstream's id inside it. */
export interface VerifiedSession extends SessionBinding {
  readonly upstreamId: string;
}

/** The session id of a request, from the payload jwt_authn verified and put in its metadata (a client cannot write metadata). */
export function verifiedSession(filterMetadata: Readonly<Record<string, unknown>> | undefined): VerifiedSession | undefined {
  const payload = (filterMetadata?.[JWT_METADATA_NAMESPACE] as Record<string, unknown> | undefined)?.[SESSION_PAYLOAD_KEY];
  if (!payload || typeof payload !== 'object') return undefined;
  const claim = (name: string) => (payload as Record<string, unknown>)[name];
  const [issuer, subject, virtualServer, upstreamId] = [
    claim(SESSION_CLAIMS.callerIssuer), claim(SESSION_CLAIMS.callerSubject), claim(SESSION_CLAIMS.virtualServer), claim(SESSION_CLAIMS.upstreamId),
  ];
  if (typeof issuer !== 'string' || typeof subject !== 'string' || typeof virtualServer !== 'string' || typeof upstreamId !== 'string') return undefined;
  return { issuer, subject, virtualServer, upstreamId };
}

/** The dynamic metadata Envoy sent with a Check request. */
export function filterMetadataOf(input: PolicyInput): Record<string, unknown> | undefined {
  return (input.attributes.metadataContext as { filterMetadata?: Record<string, unknown> } | undefined)?.filterMetadata;
}
