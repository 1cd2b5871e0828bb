// Reads the lock file of reviewed tool definitions (registry/tools.lock.yaml, written by
// `gatehouse discover`) into the set of pinned `server/tool` names. It accepts the shapes a lock may
// take: `servers: {<server>: {tools: [{name}] | {<tool>: …}}}`, `servers: [{name, tools}]`, or a
// list of `{server, name|tool}` entries.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ToolsLock } from './facts.ts';

export const TOOLS_LOCK_FILE = 'registry/tools.lock.yaml';

export function readToolsLock(root: string): ToolsLock {
  const path = join(root, TOOLS_LOCK_FILE);
  if (!existsSync(path)) return { problem: `${TOOLS_LOCK_FILE} does not exist: no tool definition is pinned` };
  let value: unknown;
  try {
    value = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { problem: `${TOOLS_LOCK_FILE} is not YAML: ${(error as Error).message}` };
  }
  const pinned = new Set<string>();
  collect(value, undefined, pinned);
  return { file: TOOLS_LOCK_FILE, pinned };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const nameOf = (value: Record<string, unknown>, ...keys: string[]) => keys.map((k) => value[k]).find((v): v is string => typeof v === 'string');

/** Walks the lock; `server` is the server whose part is being read. Bounded by the document's depth. */
function collect(value: unknown, server: string | undefined, pinned: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, server, pinned);
    return;
  }
  if (!isRecord(value)) return;
  const entryServer = nameOf(value, 'server');
  const entryTool = nameOf(value, 'tool', 'name');
  if (entryServer && entryTool && !('tools' in value)) pinned.add(`${entryServer}/${entryTool}`);
  const { servers, tools } = value;
  if (isRecord(servers)) for (const [name, part] of Object.entries(servers)) collect(part, name, pinned);
  else if (Array.isArray(servers)) for (const part of servers) if (isRecord(part)) collect(part, nameOf(part, 'name', 'server'), pinned);
  const owner = server ?? entryServer;
  if (owner && Array.isArray(tools)) for (const tool of tools) if (isRecord(tool) && nameOf(tool, 'name')) pinned.add(`${owner}/${nameOf(tool, 'name') ?? ''}`);
  if (owner && isRecord(tools)) for (const name of Object.keys(tools)) pinned.add(`${owner}/${name}`);
  // Any other list (a top-level `tools:` of `{server, name}` entries) is read the same way.
  for (const [key, part] of Object.entries(value)) if (key !== 'servers' && !(owner && key === 'tools') && Array.isArray(part)) collect(part, server, pinned);
}
