// [impure] Writes a set of artifacts so that OUT is replaced whole or not at all: the files go to a
// sibling temporary folder, which then takes OUT's place.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ArtifactFile } from '../../../artifacts/src/manifest.ts';

export const MANIFEST_FILE = 'manifest.json';

/** Why OUT must not be replaced, if it holds something other than Gatehouse artifacts. */
export function refuseToReplace(out: string): string | undefined {
  if (!existsSync(out)) return undefined;
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch {
    return `${out} exists and is not a readable folder`;
  }
  if (entries.length === 0 || entries.includes(MANIFEST_FILE)) return undefined;
  return `${out} already holds files that are not Gatehouse artifacts (no ${MANIFEST_FILE}); choose another --out folder or empty it`;
}

export function writeArtifacts(out: string, files: readonly ArtifactFile[]): void {
  const target = resolve(out);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(target)}.tmp-${process.pid}`);
  const retired = join(parent, `.${basename(target)}.old-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const file of files) {
      const path = join(staging, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.bytes);
    }
    if (existsSync(target)) renameSync(target, retired);
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(retired) && !existsSync(target)) renameSync(retired, target);
    throw error;
  }
  rmSync(retired, { recursive: true, force: true });
}
