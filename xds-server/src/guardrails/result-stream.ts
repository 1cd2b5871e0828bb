// A tool call's response body, fed chunk by chunk as Envoy streams it. A JSON body is held until
// its end, then inspected whole; an event stream is inspected event by event (each `data:` JSON-RPC
// response's `result`), so a long stream is never held entire. Nothing is held past the cap: an
// over-cap body or event fails closed when a rule blocks, and otherwise passes uninspected (an
// `oversize` hit).
import { GUARDRAIL_BLOCKED_CODE, type GuardrailHit } from '../../../artifacts/src/guardrails/guardrail-set.ts';
import { blocksIn, type CallGuardrails } from './guardrail-engine.ts';
import { blockMessage } from './block-message.ts';
import { inspect } from './inspect.ts';

type JsonRpcId = string | number | null;

export class ResultStream {
  private pending = '';
  private passing = false;
  private refused = false;
  readonly hits: GuardrailHit[] = [];
  readonly failures: string[] = [];
  /** The error a result was replaced with, for the audit record. */
  error: { code: number; message: string } | undefined;

  constructor(
    private readonly call: CallGuardrails,
    private readonly eventStream: boolean,
    private readonly id: JsonRpcId,
  ) {}

  /** The text to send on for this chunk ('' holds it back). */
  async push(chunk: string, end: boolean): Promise<string> {
    if (this.refused) return '';
    if (this.passing) return chunk;
    this.pending += chunk;
    if (Buffer.byteLength(this.pending) > this.call.maxBodyBytes) {
      const action = blocksIn(this.call, 'results') ? 'block' : 'log';
      this.hits.push({ rule: this.call.names.join(','), detector: 'oversize', action, direction: 'results', count: 1 });
      if (blocksIn(this.call, 'results')) {
        this.refused = true;
        const error = this.errorMessage(this.id, `the result is larger than ${String(this.call.maxBodyBytes)} bytes and cannot be inspected`);
        return this.eventStream ? `event: message\ndata: ${error}\n\n` : error;
      }
      this.passing = true;
      const out = this.pending;
      this.pending = '';
      return out;
    }
    if (!this.eventStream) {
      if (!end) return '';
      const body = this.pending;
      this.pending = '';
      return this.message(body);
    }
    const cut = end ? this.pending.length : this.pending.lastIndexOf('\n\n') + 2;
    if (cut < 2 && !end) return '';
    const complete = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    const events = complete.split(/(?<=\n\n)/);
    let out = '';
    for (const event of events) out += await this.event(event);
    return out;
  }

  private errorMessage(id: JsonRpcId, reason: string): string {
    this.error = { code: GUARDRAIL_BLOCKED_CODE, message: reason };
    return errorMessage(id, reason, this.call);
  }

  private async event(event: string): Promise<string> {
    const lines = event.split('\n');
    const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, ''));
    if (data.length === 0) return event;
    const rewritten = await this.message(data.join('\n'));
    if (rewritten === data.join('\n')) return event;
    const others = lines.filter((l) => !l.startsWith('data:') && l !== '');
    return [...others, `data: ${rewritten}`, '', ''].join('\n');
  }

  /** One JSON-RPC message: a response's result inspected, blocked or redacted; anything else as it was. */
  private async message(text: string): Promise<string> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return text;
    }
    if (!isRecord(message) || !('result' in message)) return text;
    const inspection = await inspect(message.result, this.call.rules, 'results');
    this.hits.push(...inspection.hits);
    this.failures.push(...inspection.failures);
    const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : this.id;
    if (inspection.blocked) return this.errorMessage(id, blockMessage(inspection.blocked));
    if (inspection.redacted) return JSON.stringify({ ...message, result: inspection.value });
    return text;
  }
}

/** The JSON-RPC error of a blocked call: the guardrails named in `data`. */
export function errorMessage(id: JsonRpcId, reason: string, call: CallGuardrails): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code: GUARDRAIL_BLOCKED_CODE, message: reason, data: { guardrails: call.names } } });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
