// [impure] The keys of signed artifacts, from where the CLI takes them: the private key of `compile`
// from --sign-key FILE, else $GATEHOUSE_SIGNING_KEY_FILE, else $GATEHOUSE_SIGNING_KEY (the PEM text,
// as CI secrets arrive); the public keys of `serve` from --trusted-key FILE (repeatable). Errors name
// where a key came from, never its content.
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parsePrivateKey, parsePublicKey, SigningKeyError } from '../../artifacts/src/signature.ts';
import { UsageError } from './usage-error.ts';

export const SIGNING_KEY_ENV = 'GATEHOUSE_SIGNING_KEY';
export const SIGNING_KEY_FILE_ENV = 'GATEHOUSE_SIGNING_KEY_FILE';

/** The signing key, or undefined when none is given (empty variables count as unset: an absent CI secret). */
export function signingKey(flag: string | undefined, env: NodeJS.ProcessEnv): KeyObject | undefined {
  const file = flag ?? (env[SIGNING_KEY_FILE_ENV] || undefined);
  if (file !== undefined) return asUsageError(() => parsePrivateKey(readKeyFile(file, flag ? '--sign-key' : `$${SIGNING_KEY_FILE_ENV}`), file));
  const text = env[SIGNING_KEY_ENV];
  if (!text) return undefined;
  return asUsageError(() => parsePrivateKey(text, `$${SIGNING_KEY_ENV}`));
}

export function trustedKeys(files: readonly string[]): KeyObject[] {
  return files.map((file) => asUsageError(() => parsePublicKey(readKeyFile(file, '--trusted-key'), file)));
}

function readKeyFile(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function asUsageError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof SigningKeyError) throw new UsageError(error.message);
    throw error;
  }
}
