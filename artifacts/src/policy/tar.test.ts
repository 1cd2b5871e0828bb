import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readBundle } from './engine.ts';
import { MAX_UNPACKED_BYTES, readTarGz } from './tar.ts';

/** A ustar header of a regular file (the fields the reader uses; no checksum check). */
function header(name: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 'ascii');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  block.write('0', 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  return block;
}

/** An uncompressed tar of the given files, padded to 512-byte blocks, with the end-of-archive blocks. */
function tar(files: Readonly<Record<string, Buffer>>): Buffer {
  const parts = Object.entries(files).flatMap(([name, body]) => [header(name, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

describe('readTarGz', () => {
  it('reads the regular files of a gzipped tar', () => {
    const files = readTarGz(gzipSync(tar({ '/policy.wasm': Buffer.from('wasm'), 'data.json': Buffer.from('{"a":1}') })));
    expect([...files.keys()].sort()).toEqual(['data.json', 'policy.wasm']);
    expect(files.get('data.json')?.toString()).toBe('{"a":1}');
  });

  it('accepts an archive that unpacks to exactly the cap, and refuses one byte more', () => {
    const archive = tar({ 'policy.wasm': Buffer.alloc(512) });
    expect(readTarGz(gzipSync(archive), archive.length).get('policy.wasm')).toHaveLength(512);
    expect(() => readTarGz(gzipSync(archive), archive.length - 1)).toThrow(`more than ${(archive.length - 1) / (1024 * 1024)} MiB`);
  });
});

describe('readBundle', () => {
  it('refuses a gzip bomb (a small archive that unpacks past the cap) with a clear error', () => {
    // One file of zeros just over the cap: it compresses about a thousandfold.
    const bomb = gzipSync(tar({ 'policy.wasm': Buffer.alloc(MAX_UNPACKED_BYTES) }), { level: 1 });
    expect(bomb.length).toBeLessThan(MAX_UNPACKED_BYTES / 100);
    expect(() => readBundle(bomb)).toThrow(`the policy bundle is refused: it unpacks to more than ${MAX_UNPACKED_BYTES / (1024 * 1024)} MiB`);
  });

  it('says what is wrong with an archive that is not gzip at all', () => {
    expect(() => readBundle(Buffer.from('not gzip'))).toThrow(/^not a policy bundle \(gzipped tar\): /);
  });
});
