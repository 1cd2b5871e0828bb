// [impure] With trusted keys configured, an artifact set loads only if manifest.sig is a signature
// of manifest.json's exact bytes by one of them. It runs before anything else of the set is read:
// the manifest pins every other file by hash, so a good signature vouches for the whole set.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { SIGNATURE_FILE } from '../../../artifacts/src/layout.ts';
import { verifyManifest } from '../../../artifacts/src/signature.ts';
import { ArtifactError } from './artifact-error.ts';

/** The key id of the trusted key that signed the set; throws ArtifactError otherwise. */
export function checkSignature(dir: string, manifestText: string, trusted: readonly KeyObject[]): string {
  const result = verifyManifest(Buffer.from(manifestText, 'utf8'), readSignature(dir), trusted);
  if (!result.ok) throw new ArtifactError(result.message, result.reason);
  return result.keyId;
}

function readSignature(dir: string): string | undefined {
  try {
    return readFileSync(join(dir, SIGNATURE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ArtifactError(`cannot read ${SIGNATURE_FILE}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'malformed-signature');
  }
}
