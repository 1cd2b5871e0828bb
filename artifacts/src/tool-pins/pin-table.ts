// The pinned tool definitions the compiler puts in the artifacts (TOOL_PINS_FILE) and the control
// plane enforces: per server, whether pinning is enforced and each reviewed tool's definition hash;
// per virtual server, which server a public tool name belongs to. The verdicts here are pure; the
// control plane supplies the live hashes it saw in the servers' tools/list answers.

export interface ToolPinTable {
  readonly servers: Readonly<Record<string, PinnedServer>>;
  readonly virtualServers: Readonly<Record<string, { readonly aggregated: boolean; readonly members: readonly string[] }>>;
}

export interface PinnedServer {
  /** True: only tools whose live definition hash equals the pinned one pass. */
  readonly enforced: boolean;
  /** Tool name -> sha256 of its pinned definition (tool-definition.ts). */
  readonly tools: Readonly<Record<string, string>>;
}

export const EMPTY_PIN_TABLE: ToolPinTable = { servers: {}, virtualServers: {} };

/** Why a tool does not pass; each is a label value of the refusal metric. */
export type PinRefusal = 'unpinned' | 'changed' | 'unverified';

export type PinVerdict = { readonly pass: true } | { readonly pass: false; readonly reason: PinRefusal; readonly message: string };

const PASS: PinVerdict = { pass: true };

/** The server and upstream tool name behind a public tool name of a virtual server. */
export function memberTool(table: ToolPinTable, virtualServer: string, publicName: string): { server: string; tool: string } | undefined {
  const vs = table.virtualServers[virtualServer];
  if (!vs) return undefined;
  if (!vs.aggregated) {
    const only = vs.members[0];
    return only === undefined ? undefined : { server: only, tool: publicName };
  }
  const split = publicName.indexOf('__');
  if (split <= 0) return undefined;
  const server = publicName.slice(0, split);
  return vs.members.includes(server) ? { server, tool: publicName.slice(split + 2) } : undefined;
}

/**
 * Whether a tool with this live definition hash may pass. `live` undefined: no tools/list of the
 * server has been seen yet, so the definition the client holds cannot be vouched for: refused.
 */
export function pinVerdict(table: ToolPinTable, server: string, tool: string, live: string | undefined): PinVerdict {
  const pins = table.servers[server];
  if (!pins?.enforced) return PASS;
  const pinned = pins.tools[tool];
  if (pinned === undefined) {
    const fix = 'run gatehouse discover and review the change';
    return refused('unpinned', `tool ${tool} of server ${server} is not in the reviewed tool lock (tools.lock.yaml): ${fix}`);
  }
  if (live === undefined) {
    const fix = 'list the tools (tools/list) and retry';
    return refused('unverified', `tool ${tool} of server ${server} has not been verified against its pinned definition yet: ${fix}`);
  }
  if (live !== pinned) {
    const hashes = `pinned sha256 ${pinned.slice(0, 12)}, live ${live.slice(0, 12)}`;
    return refused('changed',
      `tool ${tool} of server ${server} changed since its definition was reviewed (${hashes}): refused until the lock is updated through review`);
  }
  return PASS;
}

function refused(reason: PinRefusal, message: string): PinVerdict {
  return { pass: false, reason, message };
}

/** A table read from an artifact folder must at least have these maps. */
export function isToolPinTable(value: unknown): value is ToolPinTable {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return ['servers', 'virtualServers'].every((key) => v[key] !== null && typeof v[key] === 'object');
}
