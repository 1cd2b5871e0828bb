// A reader for the gzipped ustar archives `opa build` writes (a bundle holds a handful of files).
import { gunzipSync } from 'node:zlib';

/** The regular files of a .tar.gz, by name with any leading `/` removed. */
export function readTarGz(bytes: Uint8Array): Map<string, Buffer> {
  const tar = gunzipSync(bytes);
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = cString(header, 0, 100);
    const prefix = cString(header, 345, 155);
    const size = parseInt(cString(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (Number.isNaN(size) || offset + 512 + size > tar.length) throw new Error('corrupt tar archive');
    if (type === 'L') {
      longName = cString(body, 0, body.length);
    } else if (type === '0' || type === '\0') {
      const full = longName ?? (prefix ? `${prefix}/${name}` : name);
      files.set(full.replace(/^\/+/, ''), Buffer.from(body));
      longName = undefined;
    } else {
      longName = undefined;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function cString(buffer: Uint8Array, start: number, length: number): string {
  const slice = buffer.subarray(start, start + length);
  const end = slice.indexOf(0);
  return Buffer.from(end === -1 ? slice : slice.subarray(0, end)).toString('utf8');
}
