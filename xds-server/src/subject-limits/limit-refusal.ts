// The answer to a request over a session or stream limit: an ext_proc immediate response, so the
// request never reaches the server. 429 with a JSON-RPC error naming the limit; no Retry-After, as
// a slot frees only when the caller ends a session or closes a stream, not after a known time.
import { limitedError, type LimitKind } from '../../../artifacts/src/subject-limits.ts';

const MESSAGES: Readonly<Record<Exclude<LimitKind, 'calls-per-second'>, (limit: number) => string>> = {
  sessions: (limit) =>
    `too many sessions: this caller holds ${String(limit)} sessions on this virtual server, its limit; end one (DELETE) or let one expire`,
  streams: (limit) => `too many open streams: this caller holds ${String(limit)} GET event streams on this virtual server, its limit; close one`,
};

/** The ProcessingResponse (JSON) that refuses the request. */
export function limitRefusal(kind: Exclude<LimitKind, 'calls-per-second'>, limit: number, id: unknown): Record<string, unknown> {
  const body = JSON.stringify(limitedError(id, kind, MESSAGES[kind](limit)));
  return {
    immediateResponse: {
      status: { code: 'TooManyRequests' },
      headers: { setHeaders: [{ header: { key: 'content-type', rawValue: Buffer.from('application/json').toString('base64') } }] },
      body: Buffer.from(body).toString('base64'),
      details: `gatehouse_${kind}_limit`,
    },
  };
}
