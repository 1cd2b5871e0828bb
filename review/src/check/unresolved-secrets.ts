// `gatehouse check --secrets-dir`: every credential secretRef of the head registry must resolve in
// the secrets source the control plane will use, else `serve` cannot give that server its
// credential. The source is passed in (the CLI builds it from the control plane's resolver), so
// this stays pure.
import type { Diagnostic } from '../../../compiler/src/diagnostics/diagnostic.ts';
import type { Ir } from '../../../compiler/src/ir/types.ts';
import type { RegistryLocator } from './registry-locator.ts';

/** Where the control plane looks for secrets, as `check` sees it. */
export interface SecretsSource {
  /** The references that have a value (values are not returned). */
  resolvable(refs: readonly string[]): ReadonlySet<string>;
  /** How to provide a reference: the file and the environment variable the control plane reads. */
  howToProvide(ref: string): string;
}

export function unresolvedSecrets(ir: Ir, source: SecretsSource, locate: RegistryLocator): Diagnostic[] {
  const servers = ir.servers.filter((s) => s.credential !== undefined);
  const found = source.resolvable(servers.map((s) => s.credential?.secretRef ?? ''));
  return servers.flatMap((server) => {
    const ref = server.credential?.secretRef ?? '';
    if (found.has(ref)) return [];
    return [
      {
        code: 'secret-not-found',
        severity: 'error',
        message:
          `McpServer "${server.name}" credential secretRef "${ref}" does not resolve in the secrets source, ` +
          `so serve would refuse calls to "${server.name}"`,
        location: locate.at('McpServer', server.name, ['credential', 'secretRef']) ?? server.source,
        hint: `Provide it as ${source.howToProvide(ref)} where the control plane runs (never in the repository).`,
      } satisfies Diagnostic,
    ];
  });
}
