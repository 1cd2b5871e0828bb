// Rules on identity providers: a JWKS source that exists, and at least one provider when gateways serve traffic.
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { RuleContext } from './context.ts';
import { MAX_FILE_BYTES, formatBytes } from '../../source/limits.ts';
import { parseJwks } from '../../util/jwks.ts';

export function identityProviders(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const doc of ctx.docs.IdentityProvider) {
    const { uri, file } = doc.spec.jwks;
    if ((uri === undefined) === (file === undefined)) {
      out.push({
        code: 'jwks-source',
        severity: 'error',
        message: `IdentityProvider "${doc.name}" needs exactly one of jwks.uri or jwks.file`,
        location: doc.at(['jwks'], true),
      });
      continue;
    }
    if (file === undefined) continue;
    const source = ctx.referencedFiles.get(file);
    const problem =
      !source || source.text === undefined
        ? `cannot read ${file}${source?.readError ? ` (${source.readError})` : ''}`
        : parseJwks(source.text).error;
    if (source?.refused) {
      out.push({
        code: source.refused === 'path-outside-root' ? 'path-outside-root' : 'file-too-large',
        severity: 'error',
        message: `IdentityProvider "${doc.name}" jwks.file ${file} was not read: ${source.readError ?? source.refused}`,
        location: doc.at(['jwks', 'file']),
        hint: `jwks.file is a path relative to the repository root, to a file inside it of at most ${formatBytes(MAX_FILE_BYTES)}; or use jwks.uri.`,
      });
    } else if (problem) {
      out.push({
        code: 'jwks-file',
        severity: 'error',
        message: `IdentityProvider "${doc.name}" jwks.file: ${problem}`,
        location: doc.at(['jwks', 'file']),
        hint: 'jwks.file is a path relative to the repository root, holding a JSON Web Key Set ({"keys": [...]}) with public keys only.',
      });
    }
  }
  const firstGateway = ctx.docs.Gateway[0];
  if (ctx.docs.IdentityProvider.length === 0 && firstGateway) {
    out.push({
      code: 'no-identity-provider',
      severity: 'error',
      message: `Gateway "${firstGateway.name}" serves virtual servers, but no IdentityProvider is defined, so no token could ever be accepted`,
      location: firstGateway.location,
      hint: 'Add an IdentityProvider document under registry/.',
    });
  }
  return out;
}
