import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { contentCodings, decodeBody, unsupportedCoding } from './content-encoding.ts';

const list = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: [{ name: 'echo' }] } });

describe('content-encoding', () => {
  it('reads the codings of a header, identity dropped', () => {
    expect(contentCodings('gzip')).toEqual(['gzip']);
    expect(contentCodings(' Deflate, gzip ')).toEqual(['deflate', 'gzip']);
    expect(contentCodings('identity')).toEqual([]);
    expect(contentCodings(undefined)).toEqual([]);
  });

  it('decodes gzip, deflate and br bodies back to the JSON the server sent', () => {
    expect(decodeBody(gzipSync(list), ['gzip'])).toEqual({ ok: true, body: list });
    expect(decodeBody(deflateSync(list), ['deflate'])).toEqual({ ok: true, body: list });
    expect(decodeBody(brotliCompressSync(list), ['br'])).toEqual({ ok: true, body: list });
    expect(decodeBody(gzipSync(deflateSync(list)), ['deflate', 'gzip'])).toEqual({ ok: true, body: list });
  });

  it('refuses an encoding it cannot read and a body that is not what its header says', () => {
    expect(unsupportedCoding(['gzip', 'zstd'])).toBe('zstd');
    expect(unsupportedCoding(['gzip'])).toBeUndefined();
    const zstd = decodeBody(Buffer.from(list), ['zstd']);
    expect(zstd.ok).toBe(false);
    const broken = decodeBody(Buffer.from(list), ['gzip']);
    expect(broken).toEqual({ ok: false, reason: "the server's response is not valid gzip" });
  });
});
