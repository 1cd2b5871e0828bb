import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SILENT } from '../../pipeline/progress.ts';
import { loadRegistry } from '../../pipeline/load-registry.ts';
import { EXAMPLE_ROOT, copyExampleRepo, tempDir } from '../../../../testkit/repo.ts';

const work = tempDir('gatehouse-gateway-tls-lint-');
let runs = 0;
afterAll(() => work.remove());

/** The codes of the TLS warnings for the example gateway with `publicUrl` and extra spec lines. */
function tlsWarnings(publicUrl: string, extra = ''): string[] {
  const gateway = readFileSync(join(EXAMPLE_ROOT, 'registry/gateways/local.yaml'), 'utf8')
    .replace(/^ {2}publicUrl: .*$/m, `  publicUrl: ${publicUrl}${extra}`);
  const root = copyExampleRepo(join(work.path, String((runs += 1))), { 'registry/gateways/local.yaml': gateway });
  return loadRegistry(root, SILENT).diagnostics.map((d) => d.code).filter((c) => c === 'gateway-without-tls' || c === 'tls-gateway-with-http-url');
}

describe('TLS lint on gateways', () => {
  it('warns on an https publicUrl whose listener has no tls and no declared proxy in front', () => {
    expect(tlsWarnings('https://127.0.0.1:10000')).toEqual(['gateway-without-tls']);
    expect(tlsWarnings('https://127.0.0.1:10000', '\n  trustedProxyHops: 1')).toEqual([]);
    expect(tlsWarnings('https://127.0.0.1:10000', '\n  tls: { certificateSecretRef: gateway-tls }')).toEqual([]);
  });

  it('warns on a TLS listener whose publicUrl says http, and says nothing for plain http', () => {
    expect(tlsWarnings('http://127.0.0.1:10000', '\n  tls: { certificateSecretRef: gateway-tls }')).toEqual(['tls-gateway-with-http-url']);
    expect(tlsWarnings('http://127.0.0.1:10000')).toEqual([]);
  });
});
