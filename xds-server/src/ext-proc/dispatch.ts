// Envoy's ext_proc filters all call the one gRPC method ExternalProcessor/Process, so the control
// plane tells its processors apart by the gRPC metadata each filter (or route) sends: the
// session-binding, guardrail and result-recording processors name themselves, anything else is the
// response rewriter. The caller is authenticated here, once, for every processor (mTLS: only
// authenticated Envoy nodes are served).
import type { ServerDuplexStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import {
  EXT_PROC_PROCESSOR_HEADER, GUARDRAILS_PROCESSOR, RESULTS_PROCESSOR, SESSION_BINDING_PROCESSOR,
} from '../../../artifacts/src/metadata-names.ts';
import type { Logger } from '../log.ts';
import { permissionDenied } from '../tls/node-claims.ts';
import type { PeerAuthenticator } from '../tls/peer-identity.ts';

type Message = { $typeName: string };
type Process = (call: ServerDuplexStream<Message, Message>) => void;

export interface ExtProcProcessors {
  readonly responseRewrite: UntypedServiceImplementation;
  readonly sessionBinding: Process;
  readonly guardrails: Process;
  readonly results: Process;
}

export interface ExtProcCallers {
  readonly logger: Logger;
  /** mTLS: only authenticated Envoy nodes are served. Absent: plaintext. */
  readonly peers?: PeerAuthenticator;
}

export function dispatchExtProc(processors: ExtProcProcessors, callers: ExtProcCallers): UntypedServiceImplementation {
  const rewrite = processors.responseRewrite.Process as Process;
  return {
    Process: (call: ServerDuplexStream<Message, Message>) => {
      const peer = callers.peers?.authenticate(call);
      if (peer?.kind === 'refused') {
        callers.logger.log('warn', 'ext_proc stream refused', { reason: peer.reason });
        call.emit('error', permissionDenied(`Gatehouse answers only authenticated Envoys: ${peer.reason}`));
        return;
      }
      const processor = call.metadata.get(EXT_PROC_PROCESSOR_HEADER)[0];
      if (processor === SESSION_BINDING_PROCESSOR) processors.sessionBinding(call);
      else if (processor === GUARDRAILS_PROCESSOR) processors.guardrails(call);
      else if (processor === RESULTS_PROCESSOR) processors.results(call);
      else rewrite(call);
    },
  };
}
