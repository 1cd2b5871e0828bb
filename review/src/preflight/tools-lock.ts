// Reads the lock file of reviewed tool definitions (tools.lock.yaml at the repository root, written
// by `gatehouse discover`; compiler/src/tool-lock/lock-file.ts) into the set of pinned
// `server/tool` names.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseToolLock, TOOL_LOCK_FILE } from '../../../compiler/src/tool-lock/lock-file.ts';
import type { ToolsLock } from './facts.ts';

export const TOOLS_LOCK_FILE = TOOL_LOCK_FILE;

export function readToolsLock(root: string): ToolsLock {
  const path = join(root, TOOLS_LOCK_FILE);
  if (!existsSync(path)) return { problem: `${TOOLS_LOCK_FILE} does not exist: no tool definition is pinned` };
  const parsed = parseToolLock(readFileSync(path, 'utf8'));
  if ('error' in parsed) return { problem: `${TOOLS_LOCK_FILE}: ${parsed.error}` };
  const pinned = new Set(Object.entries(parsed.lock.servers).flatMap(([server, tools]) => tools.map((tool) => `${server}/${tool.name}`)));
  return { file: TOOLS_LOCK_FILE, pinned };
}
