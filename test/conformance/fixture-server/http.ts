// HTTP helpers for the fixture server: a size-bounded JSON body reader and the Host/Origin check that keeps
// a local server out of reach of DNS-rebinding web pages.
import type { IncomingMessage } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;
export const LOCAL_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

// Host must be one of the allowed hostnames (any port); Origin, when a browser sends one, too.
export function isAllowedOrigin(req: IncomingMessage, allowedHostnames: ReadonlySet<string>): boolean {
  const host = req.headers.host;
  const hostname = host === undefined ? undefined : hostnameOf(`http://${host}`);
  if (hostname === undefined || !allowedHostnames.has(hostname)) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const originHostname = hostnameOf(origin);
  return originHostname !== undefined && allowedHostnames.has(originHostname);
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
