// `check --live`: the live tools of the servers whose pins are enforced, against tools.lock.yaml. Each changed, added or removed
// tool is a `tool-drift` error at the tool's line in the lock (at line 1 when the lock lacks it),
// and so is a server that cannot be listed: drift that cannot be ruled out fails the check.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../../compiler/src/diagnostics/diagnostic.ts';
import type { Ir } from '../../../compiler/src/ir/types.ts';
import { EMPTY_TOOL_LOCK, parseToolLock, TOOL_LOCK_FILE, type ToolLock } from '../../../compiler/src/tool-lock/lock-file.ts';
import { compareLocks, type ToolChange } from './compare-locks.ts';
import { discoverAll, discoverTargets } from './discover.ts';

/** The lock under a repository root; empty when there is none or it cannot be read (compile reports that). */
export function readLockAt(root: string): { lock: ToolLock; text: string } {
  const path = join(root, TOOL_LOCK_FILE);
  if (!existsSync(path)) return { lock: EMPTY_TOOL_LOCK, text: '' };
  const text = readFileSync(path, 'utf8');
  const parsed = parseToolLock(text);
  return { lock: 'lock' in parsed ? parsed.lock : EMPTY_TOOL_LOCK, text };
}

export interface LiveDrift {
  readonly drift: ToolChange[];
  readonly diagnostics: Diagnostic[];
}

/** [impure: network] The drift of every registered server, and its diagnostics. */
export async function liveDrift(ir: Ir, root: string, secret: (ref: string) => string | undefined): Promise<LiveDrift> {
  const { lock, text } = readLockAt(root);
  // The servers whose pins the gateway enforces: those in the lock (unless `toolPinning: off`) and those that say `enforced`.
  const pinned = ir.servers.filter((s) => s.toolPinning === 'enforced' || (s.toolPinning === 'auto' && s.name in lock.servers)).map((s) => s.name);
  if (pinned.length === 0) return { drift: [], diagnostics: [] };
  const { targets, errors } = discoverTargets(ir, pinned, secret);
  const live = await discoverAll(targets);
  const drift = compareLocks(lock, { servers: live.servers }, true);
  const diagnostics: Diagnostic[] = [...errors, ...live.errors].map((message) => ({
    code: 'tool-drift',
    severity: 'error',
    message: `cannot compare the live tools with ${TOOL_LOCK_FILE}: ${message}`,
  }));
  for (const change of drift) {
    const parts = change.parts.map((p) => p.part).join(', ');
    const what = change.kind === 'changed' ? `changed (${parts})` : change.kind === 'added' ? 'is listed but not pinned' : 'is pinned but no longer listed';
    diagnostics.push({
      code: 'tool-drift',
      severity: 'error',
      message: `tool ${change.tool} of server ${change.server} ${what}: the gateway hides and refuses it until the lock is updated`,
      location: { file: TOOL_LOCK_FILE, line: lineOf(text, change.server, change.tool), column: 1 },
      hint: 'Review the change (gatehouse check --live --format markdown shows it), then run gatehouse discover and commit tools.lock.yaml.',
    });
  }
  return { drift, diagnostics };
}

/** The line of a tool's entry in the lock text (1 when absent). */
function lineOf(text: string, server: string, tool: string): number {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line === `  ${server}:`);
  if (start < 0) return 1;
  const at = lines.findIndex((line, i) => i > start && line.trim() === `- name: ${tool}`);
  return at < 0 ? start + 1 : at + 1;
}
