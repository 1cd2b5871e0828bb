// [impure] The demo's upstream credentials: one random value per secret reference, kept in a local
// folder (as a mounted secret would be) so restarts reuse them. Never printed.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ir } from '../../compiler/src/ir/types.ts';

export function ensureDemoSecrets(ir: Ir, dir: string): Map<string, string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const values = new Map<string, string>();
  for (const server of ir.servers) {
    if (!server.credential) continue;
    const path = join(dir, server.credential.secretRef);
    if (!existsSync(path)) {
      const token = randomBytes(24).toString('hex');
      writeFileSync(path, server.credential.header.toLowerCase() === 'authorization' ? `Bearer ${token}` : token, { mode: 0o600 });
    }
    values.set(server.credential.secretRef, readFileSync(path, 'utf8').replace(/\r?\n$/, ''));
  }
  // The gateway's client secret at the development identity provider (upstream identities).
  for (const server of ir.servers) {
    if (!server.identity) continue;
    const path = join(dir, server.identity.clientSecretRef);
    if (!existsSync(path)) writeFileSync(path, randomBytes(24).toString('hex'), { mode: 0o600 });
    values.set(server.identity.clientSecretRef, readFileSync(path, 'utf8').replace(/\r?\n$/, ''));
  }
  return values;
}
