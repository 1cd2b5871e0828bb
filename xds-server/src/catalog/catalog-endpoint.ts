// The admin endpoint's /catalog: the page, with the Content-Security-Policy that keeps it offline.
// The admin server checks the admin token before calling this (admin-server.ts).
import type { ServerResponse } from 'node:http';
import { PAGE_CSP } from './page-assets.ts';

export const CATALOG_PATH = '/catalog';

export function sendCatalog(res: ServerResponse, html: string): ServerResponse {
  return res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  }).end(html);
}
