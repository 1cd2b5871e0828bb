// A reader for the gzipped ustar archives `opa build` writes (a bundle holds a handful of files).
import { gunzipSync } from 'node:zlib';

/**
 * The most a bundle may unpack to: generous, far above any real registry (the compile benchmark's
 * 1,000 servers and 20,000 tools give a 0.3 MB archive, the Wasm module being most of it). It only
 * stops an archive that inflates without bound (a gzip bomb) from exhausting the control plane's memory.
 */
export const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

/** An archive that unpacks to more than the cap. */
export class UnpackedTooLarge extends Error {}

/** The regular files of a .tar.gz, by name with any leading `/` removed. Throws past `maxBytes` unpacked. */
export function readTarGz(bytes: Uint8Array, maxBytes = MAX_UNPACKED_BYTES): Map<string, Buffer> {
  const tar = gunzipCapped(bytes, maxBytes);
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

function gunzipCapped(bytes: Uint8Array, maxBytes: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    // zlib stops at maxOutputLength with a RangeError (ERR_BUFFER_TOO_LARGE) instead of allocating more.
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UnpackedTooLarge(`it unpacks to more than ${maxBytes / (1024 * 1024)} MiB, the most a policy bundle may hold`, { cause: error });
    }
    throw error;
  }
}

function cString(buffer: Uint8Array, start: number, length: number): string {
  const slice = buffer.subarray(start, start + length);
  const end = slice.indexOf(0);
  return Buffer.from(end === -1 ? slice : slice.subarray(0, end)).toString('utf8');
}
