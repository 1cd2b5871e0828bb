// [impure] Resolves upstream credential references: a file named after the reference in the
// secrets folder (as mounted Kubernetes secrets are), else the environment variable
// GATEHOUSE_SECRET_<REFERENCE> (upper case, `-` as `_`). Values are never logged.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function secretEnvName(ref: string): string {
  return `GATEHOUSE_SECRET_${ref.toUpperCase().replace(/-/g, '_')}`;
}

/** The values found, by reference; references with no value are absent. */
export function resolveSecrets(refs: readonly string[], secretsDir: string | undefined, env: NodeJS.ProcessEnv): Map<string, string> {
  const values = new Map<string, string>();
  for (const ref of new Set(refs)) {
    let value: string | undefined;
    if (secretsDir) {
      try {
        value = readFileSync(join(secretsDir, ref), 'utf8').replace(/\r?\n$/, '');
      } catch {
        value = undefined;
      }
    }
    value ??= env[secretEnvName(ref)];
    if (value !== undefined) values.set(ref, value);
  }
  return values;
}
