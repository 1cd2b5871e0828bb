// `gatehouse token`: an access token from the development identity provider, for curl, the MCP
// Inspector or a client configuration. It signs with the provider's persisted key
// (`.gatehouse/identity-provider/signing-key.json`, made if missing) instead of asking the running
// provider, so it works whether or not `gatehouse up` runs; the provider serves that key's JWKS, so
// Envoy accepts the token once `up` runs. Prints the token alone on stdout.
import { join, resolve } from 'node:path';
import { formatDiagnostics } from '../../compiler/src/diagnostics/format.ts';
import { loadRegistry } from '../../compiler/src/pipeline/load-registry.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { devAudiences, devDirectory, devIdentityProvider, findUser, SIGNED_IN_USER, teamMember } from '../../demo/src/identity/directory.ts';
import { mintAccessToken } from '../../demo/src/identity/mint.ts';
import { openDevSigningKey } from '../../demo/src/identity/signing-key.ts';
import { parseFlags } from './args.ts';
import { UsageError } from './usage-error.ts';

export const TOKEN_USAGE =
  'Usage: gatehouse token (--team NAME | --user EMAIL | --authenticated) [--virtual-server NAME]... [--expires-in 1h] [--root DIR] [--state-dir DIR]';

const MAX_LIFETIME_SECONDS = 30 * 86_400;

/** `90s`, `30m`, `8h`, `7d` in seconds; at most 30 days. */
export function parseLifetime(text: string): number {
  const match = /^([1-9][0-9]*)(s|m|h|d)$/.exec(text);
  const seconds = match ? Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'] : Number.NaN;
  if (!(seconds <= MAX_LIFETIME_SECONDS)) throw new UsageError(`--expires-in must be a duration such as 30m, 8h or 7d, at most 30d (got "${text}")`);
  return seconds;
}

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    team: { type: 'string' },
    user: { type: 'string' },
    authenticated: { type: 'boolean' },
    'virtual-server': { type: 'string', multiple: true },
    'expires-in': { type: 'string' },
    root: { type: 'string' },
    'state-dir': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(`${TOKEN_USAGE}\n`);
    return 0;
  }
  const who = [values.team !== undefined, values.user !== undefined, values.authenticated === true].filter(Boolean).length;
  if (who !== 1) throw new UsageError('give exactly one of --team NAME, --user EMAIL or --authenticated');
  const lifetime = parseLifetime(values['expires-in'] ?? '1h');
  const root = resolve(values.root ?? '.');
  const loaded = loadRegistry(root, SILENT);
  if (!loaded.ir) {
    process.stderr.write(formatDiagnostics(loaded.diagnostics, 'text'));
    return 1;
  }
  const ir = loaded.ir;
  const provider = devIdentityProvider(ir);
  if (!provider) {
    process.stderr.write('gatehouse token: no IdentityProvider in the registry has a local issuer (http://127.0.0.1:PORT), so there is no development identity provider\n');
    return 1;
  }
  const users = devDirectory(ir, provider);
  const user = values.team !== undefined ? teamMember(users, values.team) : findUser(users, values.user ?? SIGNED_IN_USER);
  if (!user) {
    const known = values.team !== undefined ? ir.teams.filter((t) => teamMember(users, t.name)).map((t) => t.name) : users.map((u) => u.email);
    const what = values.team !== undefined ? `team "${values.team}" (or no ${provider.name} group maps to it)` : `user "${values.user ?? ''}"`;
    throw new UsageError(`unknown ${what}; known: ${known.join(', ')}`);
  }
  const wanted = values['virtual-server'];
  const unknown = (wanted ?? []).filter((vs) => !ir.virtualServers.some((v) => v.name === vs));
  if (unknown.length > 0) throw new UsageError(`unknown virtual server ${unknown.join(', ')}; known: ${ir.virtualServers.map((v) => v.name).join(', ')}`);
  const key = await openDevSigningKey(resolve(values['state-dir'] ?? join(root, '.gatehouse')));
  const token = await mintAccessToken(key, {
    issuer: new URL(provider.issuer).origin,
    user,
    audience: devAudiences(ir, provider, wanted),
    expiresInSeconds: lifetime,
    scope: provider.scopes.join(' '),
    clientId: 'gatehouse-cli',
    groupsClaim: provider.groupsClaim,
    emailClaim: provider.emailClaim,
  });
  process.stdout.write(`${token}\n`);
  return 0;
}
