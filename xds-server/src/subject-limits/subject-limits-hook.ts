// The session-binding processor's use of the subject counters, for one ext_proc stream (one HTTP
// request): a GET takes a stream slot for as long as the stream lives; an `initialize` reserves a
// session slot, kept if the answer opens a session and given back if not. Over a limit, the
// request is answered 429 before it goes upstream. Whatever the stream held is given back when it
// ends, however it ends.
import type { Metadata } from '@grpc/grpc-js';
import { MCP_METADATA_NAMESPACE } from '../../../artifacts/src/metadata-names.ts';
import { header, type ProcessingRequestJson } from '../ext-proc/processing-request.ts';
import { verifiedSession } from '../session-binding/verified-session.ts';
import type { SessionBinding } from '../session-binding/session-signer.ts';
import { limitRefusal } from './limit-refusal.ts';
import { processorLimits } from './processor-limits.ts';
import { sessionKey, type SessionReservation, type Slot, type SubjectCounters } from './subject-counters.ts';

export interface SubjectLimitsHook {
  /** Undefined: go on; else the ProcessingResponse (JSON) that refuses the request. */
  admit(binding: SessionBinding, request: ProcessingRequestJson): Record<string, unknown> | undefined;
  /** The answer opened a session (the upstream's id): the reservation is kept under it. */
  sessionOpened(virtualServer: string, upstreamId: string): void;
  /** The answer opened none: the reservation is given back. */
  noSession(): void;
}

type Call = { readonly metadata: Metadata; on(event: 'end' | 'error' | 'cancelled' | 'close', listener: () => void): unknown };

export function subjectLimitsHook(counters: SubjectCounters, call: Call): SubjectLimitsHook | undefined {
  const limits = processorLimits(call.metadata);
  if (!limits) return undefined;
  let stream: Slot | undefined;
  let reservation: SessionReservation | undefined;
  const giveBack = () => {
    stream?.release();
    reservation?.cancel();
  };
  for (const event of ['end', 'error', 'cancelled', 'close'] as const) call.on(event, giveBack);
  return {
    admit(binding, request) {
      if (binding.virtualServer === '') return undefined;
      const headers = request.requestHeaders?.headers?.headers;
      const id = (request.metadataContext?.filterMetadata?.[MCP_METADATA_NAMESPACE] as { id?: unknown } | undefined)?.id;
      if (header(headers, ':method') === 'GET') {
        const session = verifiedSession(request.metadataContext?.filterMetadata)?.upstreamId;
        stream = counters.openStream(binding, limits.streams, session === undefined ? undefined : sessionKey(binding.virtualServer, session));
        return stream ? undefined : limitRefusal('streams', limits.streams, id);
      }
      reservation = counters.reserveSession(binding, limits.sessions);
      return reservation ? undefined : limitRefusal('sessions', limits.sessions, id);
    },
    sessionOpened(virtualServer, upstreamId) {
      reservation?.commit(sessionKey(virtualServer, upstreamId));
    },
    noSession() {
      reservation?.cancel();
    },
  };
}
