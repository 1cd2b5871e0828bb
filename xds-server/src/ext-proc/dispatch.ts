// Envoy's ext_proc filters all call the one gRPC method ExternalProcessor/Process, so the control
// plane tells its processors apart by the gRPC metadata each filter sends (its grpc_service's
// initial_metadata): the session-binding and guardrail filters name themselves, anything else is the
// response rewriter.
import type { ServerDuplexStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { EXT_PROC_PROCESSOR_HEADER, GUARDRAILS_PROCESSOR, SESSION_BINDING_PROCESSOR } from '../../../artifacts/src/metadata-names.ts';

type Message = { $typeName: string };
type Process = (call: ServerDuplexStream<Message, Message>) => void;

export function dispatchExtProc(responseRewrite: UntypedServiceImplementation, sessionBinding: Process, guardrails: Process): UntypedServiceImplementation {
  const rewrite = responseRewrite.Process as Process;
  return {
    Process: (call: ServerDuplexStream<Message, Message>) => {
      const processor = call.metadata.get(EXT_PROC_PROCESSOR_HEADER)[0];
      if (processor === SESSION_BINDING_PROCESSOR) sessionBinding(call);
      else if (processor === GUARDRAILS_PROCESSOR) guardrails(call);
      else rewrite(call);
    },
  };
}
