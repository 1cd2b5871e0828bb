// The compile stage that reads tools.lock.yaml (a repository without one pins nothing unless a
// server says `toolPinning: enforced`).
import type { Staged } from '../diagnostics/diagnostic.ts';
import type { SourceFile } from '../source/read-tree.ts';
import { EMPTY_TOOL_LOCK, parseToolLock, TOOL_LOCK_FILE, type ToolLock } from './lock-file.ts';

export function readToolLock({ readReferenced }: { readReferenced: (path: string) => SourceFile }): Staged<{ lock: ToolLock }> {
  const file = readReferenced(TOOL_LOCK_FILE);
  if (file.text === undefined) {
    if (!file.refused && file.readError === 'file not found') return { value: { lock: EMPTY_TOOL_LOCK }, diagnostics: [] };
    const message = `cannot read ${TOOL_LOCK_FILE}: ${file.readError ?? 'unreadable'}`;
    return { value: undefined, diagnostics: [{ code: 'tool-lock-invalid', severity: 'error', message }] };
  }
  const parsed = parseToolLock(file.text);
  if ('error' in parsed) {
    const location = { file: TOOL_LOCK_FILE, line: 1, column: 1 };
    return { value: undefined, diagnostics: [{ code: 'tool-lock-invalid', severity: 'error', message: `${TOOL_LOCK_FILE}: ${parsed.error}`, location }] };
  }
  return { value: { lock: parsed.lock }, diagnostics: [] };
}
