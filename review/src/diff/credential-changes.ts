// Credential changes of the configuration diff as info diagnostics, so every report format (SARIF
// included, which carries only diagnostics) shows each credential added, removed or moved: the
// secretRef and the host it goes to, never a value.
import type { Diagnostic } from '../../../compiler/src/diagnostics/diagnostic.ts';
import type { ConfigDiff } from './config-diff.ts';

export function credentialChanges(diff: ConfigDiff): Diagnostic[] {
  return diff.changes.flatMap((change) => {
    const field = change.kind === 'server' ? change.fields.find((f) => f.field === 'credential') : undefined;
    if (!field) return [];
    const what =
      field.before === undefined
        ? `gains credential ${field.after ?? ''}`
        : field.after === undefined
          ? `no longer sends credential ${field.before}`
          : `credential changes from ${field.before} to ${field.after}`;
    return [
      {
        code: 'credential-changed',
        severity: 'info',
        message: `McpServer "${change.name}" ${change.change === 'changed' ? '' : `(${change.change}) `}${what}`,
        ...(change.source ? { location: change.source } : {}),
      } satisfies Diagnostic,
    ];
  });
}
