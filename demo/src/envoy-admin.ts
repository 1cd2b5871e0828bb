// [impure] Requests to an Envoy's admin interface, over its unix socket or loopback port.
import { request } from 'node:http';
import type { EnvoyAdminAddress } from '../../xds-server/src/envoy-admin-address.ts';

export interface AdminResponse {
  readonly status: number;
  readonly body: string;
}

/** GET `path` (with its query) from Envoy's admin interface; rejects when it cannot be reached. */
export function envoyAdminGet(address: EnvoyAdminAddress, path: string, timeoutMs = 5000): Promise<AdminResponse> {
  const target = 'socket' in address ? { socketPath: address.socket } : { host: '127.0.0.1', port: address.port };
  return new Promise((resolve, reject) => {
    const req = request({ ...target, path, method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`Envoy admin did not answer ${path} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
