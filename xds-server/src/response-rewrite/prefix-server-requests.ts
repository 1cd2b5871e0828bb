// Envoy 1.40's mcp_router streams a member's tools/call event stream through as it comes, so a
// request the member sends the client inside it (sampling/createMessage, elicitation/create,
// roots/list) keeps the member's own id, and mcp_router then cannot route the client's answer
// (400 "Invalid server response ID"). It routes answers whose id is "<member>__<id>" (and restores
// the id): this gives each such request that id, event by event, as the stream passes.
import { isRecord } from './json-rpc-body.ts';

/** Rewrites one member's event stream; feed it the body in chunks, in order. */
export class ServerRequestPrefixer {
  private pending = '';
  /** How many request ids were prefixed so far. */
  prefixed = 0;

  constructor(private readonly member: string) {}

  /** The text to pass on for this chunk: whole events, rewritten; an unfinished event waits for the next chunk (or the end). */
  push(chunk: string, end: boolean): string {
    this.pending += chunk;
    const cut = end ? this.pending.length : this.pending.lastIndexOf('\n\n') + 2;
    if (cut < 2 && !end) return '';
    const complete = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return complete
      .split('\n')
      .map((line) => (line.startsWith('data:') ? `data: ${this.rewrite(line.slice(5).trimStart())}` : line))
      .join('\n');
  }

  private rewrite(data: string): string {
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return data;
    }
    if (!isRecord(message) || typeof message.method !== 'string' || !('id' in message)) return data;
    if (typeof message.id !== 'string' && typeof message.id !== 'number') return data;
    this.prefixed += 1;
    return JSON.stringify({ ...message, id: `${this.member}__${String(message.id)}` });
  }
}
