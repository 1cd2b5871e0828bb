// Checks a JSON Web Key Set read from a local file: parseable, with keys, and public keys only. Its
// errors never quote the file: JSON.parse's message does (`"root:x:0:0"... is not valid JSON`), and a
// diagnostic is no place for the content of a file someone pointed jwks.file at.

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

export function parseJwks(text: string): { keys?: number; error?: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'not valid JSON' };
  }
  const keys = (value as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) return { error: 'not a JWKS: it needs a non-empty "keys" array' };
  for (const [i, key] of keys.entries()) {
    if (typeof key !== 'object' || key === null || typeof (key as { kty?: unknown }).kty !== 'string') {
      return { error: `key ${i} has no "kty"` };
    }
    const secret = PRIVATE_MEMBERS.find((m) => m in (key as object));
    if (secret) return { error: `key ${i} holds private or symmetric key material ("${secret}"); publish public keys only` };
  }
  return { keys: keys.length };
}
