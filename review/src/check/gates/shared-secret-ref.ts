// Gate shared-secret-ref: a credential (secretRef) that the merge would send to a new host: one used
// by more than one server, or by a server whose upstream host changed since the base revision.
// The diff never shows secret values, so without this gate a reviewer cannot see the credential move.
// CheckSettings sharedSecretRefs lists the servers that may send a given secretRef.
import type { IrServer } from '../../../../compiler/src/ir/types.ts';
import { skipped, type Gate, type GateFacts, type GateFinding } from '../gate.ts';

type CredentialServer = IrServer & { readonly credential: NonNullable<IrServer['credential']> };

export const sharedSecretRef: Gate = {
  code: 'shared-secret-ref',
  run(facts) {
    const ir = facts.head.ir;
    if (!ir) return skipped('the head registry has errors');
    const withCredential = ir.servers.filter((s): s is CredentialServer => s.credential !== undefined);
    const findings: GateFinding[] = [];
    for (const server of withCredential) {
      const ref = server.credential.secretRef;
      if (allowed(facts, ref, server.name)) continue;
      const others = withCredential.filter((o) => o.name !== server.name && o.credential.secretRef === ref);
      if (others.length > 0) {
        findings.push(
          finding(
            facts,
            server,
            `McpServer "${server.name}" sends credential secretRef "${ref}" to ${server.upstream.host}, ` +
              `and ${others.map((o) => `"${o.name}" (${o.upstream.host})`).join(', ')} use${others.length === 1 ? 's' : ''} the same secretRef`,
          ),
        );
        continue;
      }
      const before = facts.base?.ir?.servers.find((b) => b.name === server.name);
      if (before?.credential?.secretRef === ref && before.upstream.host.toLowerCase() !== server.upstream.host.toLowerCase()) {
        findings.push(
          finding(
            facts,
            server,
            `McpServer "${server.name}" now sends credential secretRef "${ref}" to ${server.upstream.host} ` +
              `(the base revision sent it to ${before.upstream.host})`,
          ),
        );
      }
    }
    return { findings };
  },
};

function allowed(facts: GateFacts, secretRef: string, server: string): boolean {
  return facts.settings.sharedSecretRefs.some((entry) => entry.secretRef === secretRef && entry.servers.includes(server));
}

function finding(facts: GateFacts, server: CredentialServer, message: string): GateFinding {
  const where = facts.settings.source ? ` (${facts.settings.source.file}:${facts.settings.source.line})` : '';
  return {
    message,
    location: facts.locate.at('McpServer', server.name, ['credential', 'secretRef']) ?? server.source,
    hint:
      `Give the server its own secretRef, or, if this credential is meant for ${server.upstream.host}, list the server under ` +
      `CheckSettings sharedSecretRefs (secretRef: ${server.credential.secretRef})${where}.`,
  };
}
