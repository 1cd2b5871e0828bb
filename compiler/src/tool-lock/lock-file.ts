// tools.lock.yaml: the tool definitions a review accepted, per server, as `gatehouse discover` saw
// them. Deterministic (servers and tools sorted, keys in a fixed order) so a change shows in a
// pull request as the lines that changed. Each tool keeps the text of every pinned part for the
// reviewer and its sha256; `sha256` of the whole definition is what the gateway enforces.
import { parse, stringify } from 'yaml';
import { PINNED_PARTS, pinnedParts, toolHashes, type PinnedPart } from '../../../artifacts/src/tool-pins/tool-definition.ts';

/** The lock file's path relative to the repository root. */
export const TOOL_LOCK_FILE = 'tools.lock.yaml';
export const TOOL_LOCK_FORMAT = 'gatehouse.dev/tools-lock/v1';

export interface LockedTool {
  readonly name: string;
  /** sha256 of the whole pinned definition (canonical JSON of its parts). */
  readonly sha256: string;
  /** Each pinned part the tool has: its value and the sha256 of its canonical JSON. */
  readonly parts: Partial<Readonly<Record<PinnedPart, { readonly value: unknown; readonly sha256: string }>>>;
}

export interface ToolLock {
  /** Server name -> its tools, sorted by name. */
  readonly servers: Readonly<Record<string, readonly LockedTool[]>>;
}

export const EMPTY_TOOL_LOCK: ToolLock = { servers: {} };

/** A tool as a server listed it, locked. */
export function lockTool(tool: Readonly<Record<string, unknown>> & { readonly name: string }): LockedTool {
  const values = pinnedParts(tool);
  const hashes = toolHashes(tool);
  const parts: Partial<Record<PinnedPart, { value: unknown; sha256: string }>> = {};
  for (const part of PINNED_PARTS) {
    const sha256 = hashes.parts[part];
    if (sha256 !== undefined) parts[part] = { value: values[part], sha256 };
  }
  return { name: tool.name, sha256: hashes.definition, parts };
}

const byName = <T extends { readonly name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The lock's text. */
export function renderToolLock(lock: ToolLock): string {
  const servers: Record<string, unknown> = {};
  for (const server of Object.keys(lock.servers).sort()) {
    servers[server] = [...(lock.servers[server] ?? [])].sort(byName).map((tool) => {
      const entry: Record<string, unknown> = { name: tool.name, sha256: tool.sha256 };
      for (const part of PINNED_PARTS) {
        const locked = tool.parts[part];
        if (locked) entry[part] = { sha256: locked.sha256, value: sortKeys(locked.value) };
      }
      return entry;
    });
  }
  const header = '# The reviewed MCP tool definitions, written by `gatehouse discover`. Change it only through review:\n' +
    '# the gateway passes only tools whose live definition hashes to the sha256 below.\n';
  return header + stringify({ format: TOOL_LOCK_FORMAT, servers }, { lineWidth: 0, sortMapEntries: false });
}

/** The lock read from its text, or why it cannot be read. */
export function parseToolLock(text: string): { lock: ToolLock } | { error: string } {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 0 });
  } catch (error) {
    return { error: `not valid YAML: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isRecord(doc) || doc.format !== TOOL_LOCK_FORMAT) return { error: `the file's format is not ${TOOL_LOCK_FORMAT}` };
  if (!isRecord(doc.servers)) return { error: '`servers` is not a map of server names to tool lists' };
  const servers: Record<string, LockedTool[]> = {};
  for (const [server, tools] of Object.entries(doc.servers)) {
    if (!Array.isArray(tools)) return { error: `servers.${server} is not a list of tools` };
    const locked: LockedTool[] = [];
    for (const [i, tool] of tools.entries()) {
      const read = readLockedTool(tool);
      if (typeof read === 'string') return { error: `servers.${server}[${String(i)}]: ${read}` };
      locked.push(read);
    }
    servers[server] = locked;
  }
  return { lock: { servers } };
}

function readLockedTool(tool: unknown): LockedTool | string {
  if (!isRecord(tool) || typeof tool.name !== 'string') return 'a tool needs a name';
  if (typeof tool.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(tool.sha256)) return `tool ${tool.name} has no sha256`;
  const parts: Partial<Record<PinnedPart, { value: unknown; sha256: string }>> = {};
  for (const part of PINNED_PARTS) {
    const locked = tool[part];
    if (locked === undefined) continue;
    if (!isRecord(locked) || typeof locked.sha256 !== 'string') return `${part} of tool ${tool.name} needs a sha256 and a value`;
    parts[part] = { value: locked.value, sha256: locked.sha256 };
  }
  return { name: tool.name, sha256: tool.sha256, parts };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
