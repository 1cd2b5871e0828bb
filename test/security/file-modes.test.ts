// Files that may hold request data or secrets are readable by their owner only: audit log files
// (0600) and folders (0700), the demo's upstream credentials, and Envoy's log.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Ir } from '../../compiler/src/ir/types.ts';
import { ensureDemoSecrets } from '../../demo/src/secrets.ts';
import { startEnvoy, waitForEnvoy } from '../../demo/src/envoy-process.ts';
import { files, writeLog } from '../../testkit/audit-fixtures.ts';
import { adminBootstrap } from '../../xds-server/src/envoy-admin-address.ts';
import { tempDir } from '../../testkit/repo.ts';

const work = tempDir('gatehouse-modes-');
afterAll(() => work.remove());

const mode = (path: string) => statSync(path).mode & 0o777;

describe('file modes', () => {
  it('audit folders are 0700 and audit files 0600, rotated ones included', async () => {
    const dir = join(work.path, 'audit', 'nested');
    await writeLog(dir, 40, { rotateBytes: 2_000 });
    const written = files(dir);
    expect(written.length).toBeGreaterThan(1);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(work.path, 'audit'))).toBe(0o700);
    for (const file of written) expect(mode(join(dir, file)), file).toBe(0o600);
  });

  it('the demo keeps upstream credentials in a 0700 folder, one 0600 file each', () => {
    const dir = join(work.path, 'secrets');
    const ir = { servers: [{ credential: { secretRef: 'tickets-api-token', header: 'Authorization' } }, {}] } as unknown as Ir;
    ensureDemoSecrets(ir, dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'tickets-api-token'))).toBe(0o600);
  });

  it("Envoy's log is 0600", async () => {
    const admin = { socket: join(work.path, 'admin.sock') };
    const envoy = startEnvoy({ bootstrap: { admin: adminBootstrap(admin) }, admin, workDir: work.path });
    try {
      await waitForEnvoy(envoy, 30_000);
      expect(mode(envoy.logFile)).toBe(0o600);
      // Envoy's admin interface is a socket only its owner can open.
      expect(statSync(admin.socket).isSocket()).toBe(true);
      expect(mode(admin.socket)).toBe(0o600);
    } finally {
      await envoy.stop();
    }
  });
});
