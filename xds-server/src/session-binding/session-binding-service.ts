// The response half of session binding: an ext_proc stream per `initialize` (the only request that
// opens a session), switched on by the compiled `initialize` routes. It learns the caller (verified
// JWT claims) and the virtual server from the request headers, then replaces the `Mcp-Session-Id`
// the server (or, on aggregated virtual servers, mcp_router) returns with the wrapped id bound to
// them: a session id the control plane signs (session-signer.ts). Later requests carry it; Envoy
// verifies it, and RBAC or ext_authz check it belongs to the caller (bind-session.ts).
// A response it cannot bind loses its session id: a raw upstream id never reaches a client.
import { fromJson, toJson } from '@bufbuild/protobuf';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { envoyMessage, envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { JWT_METADATA_NAMESPACE, JWT_PAYLOAD_KEY } from '../../../artifacts/src/metadata-names.ts';
import type { Logger } from '../log.ts';
import { SESSION_HEADER } from '../../../artifacts/src/session-token.ts';
import { sessionBinding } from './bind-session.ts';
import { MAX_UPSTREAM_ID_LENGTH, type SessionBinding, type SessionSigner } from './session-signer.ts';
import { header, virtualServerOfPath, type ProcessingRequestJson } from '../ext-proc/processing-request.ts';
import { subjectLimitsHook } from '../subject-limits/subject-limits-hook.ts';
import type { SubjectCounters } from '../subject-limits/subject-counters.ts';

type Message = { $typeName: string };
export interface SessionBindingDependencies {
  /** Signs session ids with the key every replica shares; undefined before the control plane loaded it. */
  signer(): SessionSigner | undefined;
  readonly logger: Logger;
  /** Per-subject session and stream counts (subject-limits/); absent: no limits. */
  readonly counters?: SubjectCounters;
}

export function sessionBindingProcess(deps: SessionBindingDependencies): (call: ServerDuplexStream<Message, Message>) => void {
  const registry = envoyRegistry();
  const request = () => envoyMessage('envoy.service.ext_proc.v3.ProcessingRequest');
  const response = () => envoyMessage('envoy.service.ext_proc.v3.ProcessingResponse');
  return (call) => {
    let binding: SessionBinding | undefined;
    let sawRequest = false;
    const send = (json: Record<string, unknown>) => call.write(fromJson(response(), json as never, { registry }));
    const limits = deps.counters ? subjectLimitsHook(deps.counters, call) : undefined;
    call.on('data', (message: Message) => {
      const req = toJson(request(), message as never, { registry }) as ProcessingRequestJson;
      if (req.requestHeaders) {
        sawRequest = true;
        const path = header(req.requestHeaders.headers?.headers, ':path') ?? '';
        const claims = req.metadataContext?.filterMetadata?.[JWT_METADATA_NAMESPACE]?.[JWT_PAYLOAD_KEY] as Record<string, unknown> | undefined;
        binding = sessionBinding({ mcp: { virtual_server: virtualServerOfPath(path) }, ...(claims ? { jwt: { claims } } : {}) });
        const refusal = binding ? limits?.admit(binding, req) : undefined;
        send(refusal ?? { requestHeaders: {} });
      } else if (req.responseHeaders) {
        // A local reply of an earlier filter (a denial) never went upstream: nothing to bind.
        const upstreamId = sawRequest ? header(req.responseHeaders.headers?.headers, SESSION_HEADER) : undefined;
        const mutation = upstreamId === undefined ? undefined : rebind(upstreamId);
        if (upstreamId !== undefined && mutation?.setHeaders) limits?.sessionOpened(binding?.virtualServer ?? '', upstreamId);
        else limits?.noSession();
        send({ responseHeaders: mutation ? { response: { headerMutation: mutation } } : {} });
      } else {
        send({});
      }
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);

    function rebind(upstreamId: string): { setHeaders?: unknown[]; removeHeaders?: string[] } {
      const signer = deps.signer();
      if (!signer || !binding?.virtualServer || upstreamId.length > MAX_UPSTREAM_ID_LENGTH) {
        deps.logger.log('error', 'cannot bind a new session to its caller; its id is withheld', { virtual_server: binding?.virtualServer });
        return { removeHeaders: [SESSION_HEADER] };
      }
      const wrapped = signer.sign(binding, upstreamId);
      const header = { key: SESSION_HEADER, rawValue: Buffer.from(wrapped).toString('base64') };
      return { setHeaders: [{ header, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' }] };
    }
  };
}

