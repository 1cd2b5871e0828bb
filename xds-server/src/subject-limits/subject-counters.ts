// Counts, per caller and virtual server, what Envoy cannot count by key: MCP sessions and held GET
// event streams. The session-binding processor asks before an `initialize` or a GET goes upstream
// and gets a slot or a refusal; a slot is given back when its ext_proc stream ends (an ext_proc
// stream lives as long as its HTTP stream), when the session is ended (DELETE), or when the session
// has been idle too long (no request carried it, no stream held it). Counts live in this process:
// each control-plane replica counts the requests its Envoys send it.

/** A caller on a virtual server: what a limit is counted by. */
export interface Counted {
  readonly issuer: string;
  readonly subject: string;
  readonly virtualServer: string;
}

/** A slot in use: release it once (further calls do nothing). */
export interface Slot {
  release(): void;
}

/** A session slot taken by an `initialize` before its answer: kept under the session's key, or given back. */
export interface SessionReservation {
  commit(sessionKey: string): void;
  cancel(): void;
}

interface Session {
  readonly owner: string;
  lastSeen: number;
  streams: number;
}

export interface SubjectCountersOptions {
  /** A session nothing used for this long no longer counts. */
  readonly sessionIdleMs: number;
  readonly now?: () => number;
}

/** A session's key: the virtual server and the id its upstream gave it (what every hook can see). */
export function sessionKey(virtualServer: string, upstreamSessionId: string): string {
  return `${virtualServer}\n${upstreamSessionId}`;
}

export class SubjectCounters {
  private readonly streams = new Map<string, number>();
  /** Sessions committed, by session key, and each caller's session keys (pending reservations count too). */
  private readonly sessions = new Map<string, Session>();
  private readonly owned = new Map<string, { keys: Set<string>; pending: number }>();
  private readonly now: () => number;
  private lastSweep = 0;

  constructor(private readonly options: SubjectCountersOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A stream slot for the caller, or undefined when it holds `limit` streams already. */
  openStream(who: Counted, limit: number, session?: string): Slot | undefined {
    const owner = ownerKey(who);
    const open = this.streams.get(owner) ?? 0;
    if (open >= limit) return undefined;
    this.streams.set(owner, open + 1);
    const held = session === undefined ? undefined : this.sessions.get(session);
    if (held) held.streams += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.streams.get(owner) ?? 1) - 1;
        if (left === 0) this.streams.delete(owner);
        else this.streams.set(owner, left);
        if (held) {
          held.streams -= 1;
          held.lastSeen = this.now();
        }
      },
    };
  }

  /** A session slot for the caller's `initialize`, or undefined when it holds `limit` sessions already. */
  reserveSession(who: Counted, limit: number): SessionReservation | undefined {
    const owner = ownerKey(who);
    this.sweep(owner);
    const mine = this.owned.get(owner) ?? { keys: new Set<string>(), pending: 0 };
    if (mine.keys.size + mine.pending >= limit) return undefined;
    mine.pending += 1;
    this.owned.set(owner, mine);
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      mine.pending -= 1;
      return true;
    };
    return {
      commit: (key) => {
        if (!settle()) return;
        this.sessions.set(key, { owner, lastSeen: this.now(), streams: 0 });
        mine.keys.add(key);
      },
      cancel: () => {
        if (settle()) this.forgetIfEmpty(owner);
      },
    };
  }

  /** A request carried the session: it is in use. */
  touchSession(key: string): void {
    const session = this.sessions.get(key);
    if (session) session.lastSeen = this.now();
  }

  /** The session was ended (DELETE): its slot is free. */
  endSession(key: string): void {
    const session = this.sessions.get(key);
    if (!session) return;
    this.sessions.delete(key);
    this.owned.get(session.owner)?.keys.delete(key);
    this.forgetIfEmpty(session.owner);
  }

  /** What is held now, for /status and tests. */
  counts(): { sessions: number; streams: number; callers: number } {
    let streams = 0;
    for (const n of this.streams.values()) streams += n;
    return { sessions: this.sessions.size, streams, callers: new Set([...this.owned.keys(), ...this.streams.keys()]).size };
  }

  /** Drops the caller's idle sessions, and everyone's at most once a minute (callers who never come back). */
  private sweep(owner: string): void {
    const now = this.now();
    const idle = (s: Session) => s.streams === 0 && now - s.lastSeen >= this.options.sessionIdleMs;
    for (const key of this.owned.get(owner)?.keys ?? []) {
      const session = this.sessions.get(key);
      if (session && idle(session)) this.endSession(key);
    }
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, session] of this.sessions) if (idle(session)) this.endSession(key);
  }

  private forgetIfEmpty(owner: string): void {
    const mine = this.owned.get(owner);
    if (mine && mine.keys.size === 0 && mine.pending === 0) this.owned.delete(owner);
  }
}

function ownerKey(who: Counted): string {
  return `${who.virtualServer}\n${who.issuer}\n${who.subject}`;
}
