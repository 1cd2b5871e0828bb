// Signed artifacts through the real binary: `keys generate` makes a key pair, `compile` signs with a
// key from --sign-key, $GATEHOUSE_SIGNING_KEY_FILE or $GATEHOUSE_SIGNING_KEY, and a key in the wrong
// place is a usage error (exit 2) that never prints the key.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePublicKey, verifyManifest } from '../../artifacts/src/signature.ts';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { tempDir } from '../../testkit/repo.ts';

const work = tempDir('gatehouse-signing-');
afterAll(() => work.remove());

const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
/** Runs the CLI with no signing variables unless given. */
function gatehouse(args: string[], env: Record<string, string> = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GATEHOUSE_SIGNING_KEY')));
  return run(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, timeoutMs: 120_000, env: { ...base, ...env } });
}

const keys = join(work.path, 'keys');
const privatePath = join(keys, 'gatehouse-signing.pem');
const publicPath = join(keys, 'gatehouse-signing.pub.pem');
let id: string;

beforeAll(async () => {
  const result = await gatehouse(['keys', 'generate', '--out', keys]);
  expect(result.code, result.stderr).toBe(0);
  id = /key id:\s+([0-9a-f]{64})/.exec(result.stdout)![1]!;
});

/** Checks OUT's signature with the generated public key; returns the key id it names. */
function verifyOut(out: string): string | undefined {
  const verification = verifyManifest(readFileSync(join(out, 'manifest.json')), readFileSync(join(out, 'manifest.sig'), 'utf8'), [
    parsePublicKey(readFileSync(publicPath, 'utf8'), 'pub'),
  ]);
  return verification.ok ? verification.keyId : verification.reason;
}

describe('gatehouse keys', () => {
  it('writes a private key only its owner can read, and a public key, in a private folder', () => {
    expect(statSync(privatePath).mode & 0o777).toBe(0o600);
    expect(statSync(publicPath).mode & 0o777).toBe(0o644);
    expect(statSync(keys).mode & 0o777).toBe(0o700);
    expect(readFileSync(privatePath, 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
    expect(readFileSync(publicPath, 'utf8')).toContain('-----BEGIN PUBLIC KEY-----');
  });

  it('never overwrites a key, and prints the id of either half', async () => {
    const again = await gatehouse(['keys', 'generate', '--out', keys]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists; a key is never overwritten');
    for (const file of [privatePath, publicPath]) {
      const result = await gatehouse(['keys', 'id', file]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(id);
    }
  });
});

/** A line of the private key's PEM, which no output may contain. */
const secret = () => readFileSync(privatePath, 'utf8').split('\n')[1]!;

describe('gatehouse compile signs', () => {
  const ways: [string, () => string[], () => Record<string, string>][] = [
    ['--sign-key', () => ['--sign-key', privatePath], () => ({})],
    ['$GATEHOUSE_SIGNING_KEY_FILE', () => [], () => ({ GATEHOUSE_SIGNING_KEY_FILE: privatePath })],
    ['$GATEHOUSE_SIGNING_KEY', () => [], () => ({ GATEHOUSE_SIGNING_KEY: readFileSync(privatePath, 'utf8') })],
  ];
  it.each(ways)('with %s, and says with which key', async (name, flags, env) => {
    const out = join(work.path, `out-${name.replace(/\W/g, '')}`);
    const result = await gatehouse(['compile', '--out', out, '--revision', 'r', '--skip-envoy-validate', ...flags()], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`signed with key ${id}`);
    expect(result.stdout + result.stderr).not.toContain(secret());
    expect(verifyOut(out)).toBe(id);
    expect(readFileSync(join(out, 'manifest.sig'), 'utf8')).not.toContain(secret());
  });

  it('does not sign without a key (an empty variable, as an unset CI secret, is no key)', async () => {
    const out = join(work.path, 'out-unsigned');
    const result = await gatehouse(['compile', '--out', out, '--revision', 'r', '--skip-envoy-validate'], { GATEHOUSE_SIGNING_KEY: '' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('not signed');
    expect(existsSync(join(out, 'manifest.sig'))).toBe(false);
  });

  it('refuses a public key or an unreadable file as the signing key, before compiling', async () => {
    const pub = await gatehouse(['compile', '--out', join(work.path, 'never'), '--sign-key', publicPath]);
    expect(pub.code).toBe(2);
    expect(pub.stderr).toContain('is not a PEM private key');
    const missing = await gatehouse(['compile', '--out', join(work.path, 'never'), '--sign-key', join(keys, 'nope.pem')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--sign-key: cannot read');
    const garbage = await gatehouse(['compile', '--out', join(work.path, 'never')], { GATEHOUSE_SIGNING_KEY: 'not a key' });
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toContain('$GATEHOUSE_SIGNING_KEY is not a PEM private key');
    expect(garbage.stderr).not.toContain('not a key\n');
    expect(existsSync(join(work.path, 'never'))).toBe(false);
  });
});

/** Starts `gatehouse serve` on free ports and returns its stderr once `pattern` appears in it (or throws after 60 s). */
async function serveUntil(artifacts: string, pattern: RegExp, env: Record<string, string> = {}): Promise<string> {
  const ports = ['--xds-port', '0', '--authz-port', '0', '--admin-port', '0'];
  const args = ['serve', '--artifacts', artifacts, '--trusted-key', publicPath, ...ports, '--insecure-plaintext'];
  const child = spawn(process.execPath, [BIN, ...args, '--audit-dir', join(work.path, 'audit')], { cwd: work.path, env: { ...process.env, ...env } });
  let stderr = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${String(pattern)} in: ${stderr}`)), 60_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (pattern.test(stderr)) {
          clearTimeout(timer);
          resolve(stderr);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${String(code)}: ${stderr}`));
      });
    });
  } finally {
    child.kill('SIGTERM');
  }
}

describe('gatehouse serve --trusted-key', () => {
  it('refuses an unsigned set and loads one the trusted key signed', async () => {
    const refused = await serveUntil(join(work.path, 'out-unsigned'), /artifacts rejected; nothing is served yet.*/);
    expect(refused).toMatch(/artifacts rejected; nothing is served yet .*reason=unsigned/);
    expect(refused).not.toContain('NOT verified');
    const secrets = { GATEHOUSE_SECRET_TICKETS_API_TOKEN: 'Bearer x', GATEHOUSE_SECRET_PAYMENTS_API_KEY: 'y' };
    const loaded = await serveUntil(join(work.path, 'out-signkey'), /artifacts loaded.*\n/, secrets);
    expect(loaded).toContain(`signedBy=${id}`);
  });

  it('takes the flag more than once, and refuses a private key', async () => {
    expect((await gatehouse(['serve', '--artifacts', 'dist', '--trusted-key', publicPath, '--trusted-key', publicPath, '--help'])).code).toBe(0);
    const result = await gatehouse(['serve', '--artifacts', join(work.path, 'never'), '--trusted-key', privatePath]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('holds a private key; give the control plane the public key');
    expect(result.stderr).not.toContain(secret());
  });
});

describe('gatehouse serve --admin-token-file', () => {
  it('refuses a missing file or a token too short to be a secret', async () => {
    const short = join(work.path, 'short-token');
    writeFileSync(short, 'abc\n');
    const result = await gatehouse(['serve', '--artifacts', join(work.path, 'never'), '--admin-token-file', short]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must hold one token of at least 16 printable characters');
    const missing = await gatehouse(['serve', '--artifacts', join(work.path, 'never'), '--admin-token-file', join(work.path, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--admin-token-file: cannot read');
  });
});
