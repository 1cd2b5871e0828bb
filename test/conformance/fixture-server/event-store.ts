// In-memory SSE event store for one session: it lets a client that lost (or was told to drop) a response stream
// resume it with Last-Event-ID and receive what it missed. Bounded, since a fixture session may be long-lived.
import type { EventId, EventStore, StreamId } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

interface StoredEvent {
  id: EventId;
  streamId: StreamId;
  message: JSONRPCMessage;
}

export class SessionEventStore implements EventStore {
  private readonly events: StoredEvent[] = [];
  private next = 0;

  constructor(private readonly capacity = 1000) {}

  storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    this.next += 1;
    const id = `${streamId}:${String(this.next)}`;
    this.events.push({ id, streamId, message });
    if (this.events.length > this.capacity) this.events.shift();
    return Promise.resolve(id);
  }

  getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return Promise.resolve(this.events.find((e) => e.id === eventId)?.streamId);
  }

  async replayEventsAfter(lastEventId: EventId, { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> }): Promise<StreamId> {
    const index = this.events.findIndex((e) => e.id === lastEventId);
    const last = this.events[index];
    if (last === undefined) return '';
    for (const event of this.events.slice(index + 1)) {
      // Priming events carry no message (stored as `{}`); a client would reject one as a malformed JSON-RPC message.
      if (event.streamId === last.streamId && 'jsonrpc' in event.message) await send(event.id, event.message);
    }
    return last.streamId;
  }
}
