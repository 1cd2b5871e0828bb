// `gatehouse token` through the real binary: a token for a team, user or anyone signed in, signed
// with the development identity provider's persisted key (so the provider, started later on the same
// state folder, publishes the key that verifies it), and usage errors that name the known choices.
import { join } from 'node:path';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../compiler/src/pipeline/load-registry.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import type { Ir } from '../../compiler/src/ir/types.ts';
import { startDevIdentityProvider } from '../../demo/src/backends/identity-provider.ts';
import { devIdentityProvider } from '../../demo/src/identity/directory.ts';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { tempDir } from '../../testkit/repo.ts';

const state = tempDir('gatehouse-token-');
afterAll(() => state.remove());
const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
const token = (...args: string[]) => run(process.execPath, [BIN, 'token', '--state-dir', state.path, ...args], { cwd: PROJECT_ROOT, timeoutMs: 60_000 });

describe('gatehouse token', () => {
  it('mints without the provider running; the provider then serves the key that verifies it', async () => {
    const result = await token('--team', 'payments', '--expires-in', '8h', '--virtual-server', 'payments-ops');
    expect(result.code, result.stderr).toBe(0);
    const jwt = result.stdout.trim();
    expect(result.stdout).toBe(`${jwt}\n`);
    const ir = loadRegistry(PROJECT_ROOT, SILENT).ir as Ir;
    const idp = await startDevIdentityProvider({ ir, provider: { ...devIdentityProvider(ir)!, issuer: 'http://127.0.0.1:0' }, stateDir: state.path });
    try {
      const jwks = createLocalJWKSet((await (await fetch(idp.jwksUrl)).json()) as { keys: [] });
      const { payload } = await jwtVerify(jwt, jwks, { issuer: 'http://127.0.0.1:7100', audience: 'http://127.0.0.1:10000/mcp/payments-ops' });
      expect(payload).toMatchObject({ sub: 'payments-member', email: 'payments-member@example.com', email_verified: true, groups: ['payments-ops'] });
      expect(payload.exp! - payload.iat!).toBe(8 * 3600);
    } finally {
      await idp.close();
    }
  });

  it('mints for a demo user and for anyone signed in', async () => {
    const user = decodeJwt((await token('--user', 'support-member@example.com')).stdout.trim());
    expect(user).toMatchObject({ sub: 'support-member', groups: ['support-agents'] });
    const someone = decodeJwt((await token('--authenticated')).stdout.trim());
    expect(someone).toMatchObject({ sub: 'someone', email: 'someone@example.com', groups: [] });
    expect(someone.aud).toEqual(['helpdesk', 'inventory', 'knowledge', 'payments-ops', 'whoami'].map((vs) => `http://127.0.0.1:10000/mcp/${vs}`));
  });

  it('refuses an unknown team, user or lifetime with exit 2, naming the known ones, and prints no token', async () => {
    const team = await token('--team', 'finance');
    expect(team).toMatchObject({ code: 2, stdout: '' });
    expect(team.stderr).toContain('unknown team "finance"');
    expect(team.stderr).toContain('known: engineering, payments, support');
    const user = await token('--user', 'mallory@example.com');
    expect(user.code).toBe(2);
    expect(user.stderr).toContain('known: engineering-member@example.com');
    expect((await token('--authenticated', '--expires-in', '45d')).stderr).toContain('at most 30d');
    expect((await token('--team', 'support', '--authenticated')).stderr).toContain('exactly one of');
  });
});
