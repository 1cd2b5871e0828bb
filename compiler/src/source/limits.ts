// The limits on what the compiler reads, so that a hostile or mistaken file cannot take the compiler's
// time or memory (a 30 MB registry file once took 8 s and 1.1 GB). README "Registry" quotes them.

/** The largest file read: a registry file, a policy file or a local JWKS. Checked before reading. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** The most YAML documents (`---`-separated) one registry file may hold. */
export const MAX_DOCUMENTS_PER_FILE = 1000;

/** The most alias nodes (`*name`) a registry document may resolve, against "billion laughs" expansion. */
export const MAX_YAML_ALIASES = 100;

/** A size for messages: `1 MiB`, `30.0 MiB`, `12 KiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number.isInteger(bytes / (1024 * 1024)) ? bytes / (1024 * 1024) : (bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.ceil(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
