// Upstream identity mode changes of the configuration diff as info diagnostics: a server moving between
// a static secret, a per-caller token exchange and a service token changes what it learns about callers,
// so every report format (SARIF included) shows it. Names and references only, never a value.
import type { Diagnostic } from '../../../compiler/src/diagnostics/diagnostic.ts';
import type { ConfigDiff } from './config-diff.ts';

/** Without the field the server uses the default: its static `credential`, or none. */
const STATIC = 'the static credential (or none)';
const mode = (field: string | undefined) => (field === undefined ? STATIC : field.split(' ')[0] ?? STATIC);

export function upstreamIdentityChanges(diff: ConfigDiff): Diagnostic[] {
  return diff.changes.flatMap((change) => {
    if (change.kind !== 'server' || change.change !== 'changed') return [];
    const field = change.fields.find((f) => f.field === 'upstream.identity');
    if (!field || mode(field.before) === mode(field.after)) return [];
    return [
      {
        code: 'upstream-identity-changed',
        severity: 'info',
        message: `McpServer "${change.name}" upstream identity changes from ${field.before ?? STATIC} to ${field.after ?? STATIC}`,
        ...(change.source ? { location: change.source } : {}),
      } satisfies Diagnostic,
    ];
  });
}
