// Servers may compress their responses (Content-Encoding). The rewrites read the body as JSON or
// event-stream text, so a compressed body is decoded first and goes out uncompressed; an encoding
// Node cannot decode is refused (fail closed) instead of being parsed as text and corrupted.
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

const DECODERS: Readonly<Record<string, (body: Buffer) => Buffer>> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/** The codings of a Content-Encoding header, in the order they were applied; `identity` dropped. */
export function contentCodings(header: string | undefined): string[] {
  return (header ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
}

/** The first coding the rewriter cannot decode, if any. */
export function unsupportedCoding(codings: readonly string[]): string | undefined {
  return codings.find((c) => !(c in DECODERS));
}

export type Decoded = { ok: true; body: string } | { ok: false; reason: string };

/** The body as text, with the codings undone (last applied first). */
export function decodeBody(raw: Buffer, codings: readonly string[]): Decoded {
  let body = raw;
  for (const coding of [...codings].reverse()) {
    const decode = DECODERS[coding];
    if (!decode) return { ok: false, reason: `the server's response uses Content-Encoding ${coding}, which the gateway cannot read` };
    try {
      body = decode(body);
    } catch {
      return { ok: false, reason: `the server's response is not valid ${coding}` };
    }
  }
  return { ok: true, body: body.toString('utf8') };
}
