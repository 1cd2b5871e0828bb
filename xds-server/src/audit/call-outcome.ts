// How a tools/call ended, read from its response body (plain JSON or server-sent events, whose
// progress notifications come before the response): an MCP server puts a JSON-RPC error inside a
// 200 response, and a tool's own failure in a result with `isError: true`. Both are errors to the
// audit, though HTTP says 200.
import type { CallOutcome } from '../../../artifacts/src/audit/audit-line.ts';
import { eventStreamData, isEventStream, isRecord, isResponse, type JsonRpcId } from '../response-rewrite/json-rpc-body.ts';

export interface CallEnd {
  readonly outcome: CallOutcome;
  /** The JSON-RPC error, when the server answered with one. */
  readonly error?: { readonly code: number; readonly message: string };
  /** The result, when the server answered with one. */
  readonly result?: unknown;
}

/** The end of the call `id` in `body`, or undefined when the body holds no response to it (cut short, not JSON-RPC). */
export function callEndOf(body: string, id: JsonRpcId): CallEnd | undefined {
  const texts = isEventStream(body) ? eventStreamData(body) : [body];
  for (const text of texts) {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      continue;
    }
    for (const item of Array.isArray(message) ? message : [message]) {
      if (!isResponse(item) || (id !== null && item.id !== id)) continue;
      if (isRecord(item.error)) {
        const code = typeof item.error.code === 'number' ? item.error.code : 0;
        return { outcome: 'jsonrpc_error', error: { code, message: typeof item.error.message === 'string' ? item.error.message : '' } };
      }
      const result = item.result;
      return { outcome: isRecord(result) && result.isError === true ? 'tool_error' : 'ok', result };
    }
  }
  return undefined;
}
