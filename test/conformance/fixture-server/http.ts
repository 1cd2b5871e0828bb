// HTTP helpers for the fixture server: a size-bounded JSON body reader and the Host/Origin check that keeps
// a local server out of reach of DNS-rebinding web pages.
import type { IncomingMessage } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;
const LOCAL_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLocalHostname(authority: string): boolean {
  try {
    return LOCAL_HOSTNAMES.has(new URL(`http://${authority}`).hostname);
  } catch {
    return false;
  }
}

// Host must name this machine; Origin, when a browser sends one, too.
export function isLocalOrigin(req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (host === undefined || !isLocalHostname(host)) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return LOCAL_HOSTNAMES.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

// The parsed JSON body, or undefined when it is too large or not JSON.
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
