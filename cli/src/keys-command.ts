// `gatehouse keys`: makes the Ed25519 key pair that signs artifact sets (`compile --sign-key`,
// `serve --trusted-key`), and prints a key's id (the one in manifest.sig and /status).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { generateSigningKeyPair, keyId } from '../../artifacts/src/signature.ts';
import { parseFlags } from './args.ts';
import { UsageError } from './usage-error.ts';

export const KEYS_USAGE = 'Usage: gatehouse keys generate [--out DIR] [--name gatehouse-signing] | gatehouse keys id FILE';

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { out: { type: 'string' }, name: { type: 'string' } }, true);
  if (values.help) {
    process.stdout.write(`${KEYS_USAGE}\n`);
    return 0;
  }
  const [action, file, ...extra] = positionals;
  if (action === 'generate' && file === undefined) return generate(resolve(values.out ?? '.'), values.name ?? 'gatehouse-signing');
  if (action === 'id' && file !== undefined && extra.length === 0) return printId(file);
  throw new UsageError(action === 'generate' || action === 'id' ? 'unexpected arguments' : 'say what to do: generate or id');
}

function generate(dir: string, name: string): Promise<number> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new UsageError('--name may hold only letters, digits, ".", "_" and "-"');
  const privatePath = join(dir, `${name}.pem`);
  const publicPath = join(dir, `${name}.pub.pem`);
  for (const path of [privatePath, publicPath]) if (existsSync(path)) throw new UsageError(`${path} exists; a key is never overwritten`);
  const pair = generateSigningKeyPair();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The private key is readable by its owner only, and written exclusively (flag wx) so a race cannot replace another key.
  writeFileSync(privatePath, pair.privatePem, { mode: 0o600, flag: 'wx' });
  writeFileSync(publicPath, pair.publicPem, { mode: 0o644, flag: 'wx' });
  process.stdout.write(
    `private key: ${privatePath} (keep it secret: gatehouse compile --sign-key, or the CI secret GATEHOUSE_SIGNING_KEY)\n` +
      `public key:  ${publicPath} (gatehouse serve --trusted-key)\n` +
      `key id:      ${pair.keyId}\n`,
  );
  return Promise.resolve(0);
}

function printId(file: string): Promise<number> {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let id: string;
  try {
    id = keyId(/PRIVATE KEY/.test(pem) ? createPrivateKey(pem) : createPublicKey(pem));
  } catch {
    throw new UsageError(`${file} is not a PEM key`);
  }
  process.stdout.write(`${id}\n`);
  return Promise.resolve(0);
}
