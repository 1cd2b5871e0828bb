// A static artifact host on 127.0.0.1, as CI publishes to (S3, GCS, any static web server): it
// serves a folder with strong ETags and answers If-None-Match with 304. `publish` copies a compiled
// set in the order the workflow uploads it — every listed file, the signature, the manifest last —
// so a control plane polling the host converges on it (`serve --artifacts <host.url>`).
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { MANIFEST_FILE, SIGNATURE_FILE } from '../artifacts/src/layout.ts';
import type { Manifest } from '../artifacts/src/manifest.ts';

export interface ArtifactHost {
  /** The base URL of the published set (give it to `serve --artifacts`). */
  readonly url: string;
  /** The folder served (write into it to tamper with a published file). */
  readonly root: string;
  /** Every request so far: method, path and status, in order. */
  readonly requests: { readonly path: string; readonly status: number }[];
  /** Copies a compiled artifact folder onto the host, manifest last; returns the set's version. */
  publish(compiledDir: string): string;
  /** Answers requests with this status (e.g. 503) until called again with undefined: every request, or those for paths ending so. */
  failWith(status: number | undefined, pathEnding?: string): void;
  close(): Promise<void>;
}

export async function startArtifactHost(): Promise<ArtifactHost> {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-artifact-host-'));
  const requests: { path: string; status: number }[] = [];
  let failing: { status: number; pathEnding: string } | undefined;
  const respond = (req: IncomingMessage, path: string): [number, Buffer?, Record<string, string>?] => {
    if (failing && path.endsWith(failing.pathEnding)) return [failing.status];
    if (req.method !== 'GET' || normalize(path).startsWith('..')) return [400];
    let body: Buffer;
    try {
      if (!statSync(join(root, path)).isFile()) return [404];
      body = readFileSync(join(root, path));
    } catch {
      return [404];
    }
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
    if (req.headers['if-none-match'] === etag) return [304, undefined, { etag }];
    return [200, body, { etag, 'content-type': 'application/octet-stream', 'content-length': String(body.length) }];
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname).replace(/^\/+/, '');
    const [status, body, headers] = respond(req, path);
    requests.push({ path, status });
    res.writeHead(status, headers ?? {}).end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/artifacts/`,
    root: join(root, 'artifacts'),
    requests,
    publish(compiledDir) {
      const manifest = JSON.parse(readFileSync(join(compiledDir, MANIFEST_FILE), 'utf8')) as Manifest;
      const copy = (path: string) => {
        mkdirSync(dirname(join(root, 'artifacts', path)), { recursive: true });
        copyFileSync(join(compiledDir, path), join(root, 'artifacts', path));
      };
      for (const path of Object.keys(manifest.files)) copy(path);
      let signed = true;
      try {
        statSync(join(compiledDir, SIGNATURE_FILE));
      } catch {
        signed = false;
      }
      if (signed) copy(SIGNATURE_FILE);
      else rmSync(join(root, 'artifacts', SIGNATURE_FILE), { force: true });
      copy(MANIFEST_FILE);
      return manifest.version;
    },
    failWith(status, pathEnding = '') {
      failing = status === undefined ? undefined : { status, pathEnding };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
