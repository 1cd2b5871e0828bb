// Memoised compiles and Rego checks, keyed by the content they depend on. A test suite that checks
// many changes against one base compiles the base once; a single CLI run needs none.
import { createHash } from 'node:crypto';
import type { SourceFile } from '../../../compiler/src/source/read-tree.ts';

export class CheckCache {
  private readonly entries = new Map<string, Promise<unknown>>();

  /** The value computed for `key`, computing it on first use; a failed computation is not kept. */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key) as Promise<T> | undefined;
    if (!entry) {
      entry = compute();
      this.entries.set(key, entry);
      entry.catch(() => this.entries.delete(key));
    }
    return entry;
  }
}

/** A key for a computation over files: their paths and texts, and anything else it depends on. */
export function contentKey(purpose: string, files: readonly SourceFile[], ...extra: readonly string[]): string {
  const hash = createHash('sha256').update(purpose);
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`\0${file.path}\0${file.text ?? `(unreadable: ${file.readError})`}`);
  for (const part of extra) hash.update(`\0${part}`);
  return hash.digest('hex');
}
