// SIGHUP reloads `gatehouse serve` and says so, also when it was started through `npm exec` (= npx).
// npm does not forward SIGHUP to the command it runs (@npmcli/run-script forwards SIGINT and SIGTERM
// only), so the control plane logs its own pid at start and that pid is what an operator signals.
import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { compileExample } from '../../testkit/compiled-example.ts';
import { freePorts } from '../../testkit/ports.ts';
import { tempDir } from '../../testkit/repo.ts';

const work = tempDir('gatehouse-sighup-');
afterAll(() => work.remove());

/** A scratch project with gatehouse installed (linked) in node_modules, as `npm install` leaves it. */
function scratchProject(dir: string): void {
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
  symlinkSync(PROJECT_ROOT, join(dir, 'node_modules', 'gatehouse'));
  symlinkSync(join('..', 'gatehouse', 'bin', 'gatehouse.mjs'), join(dir, 'node_modules', '.bin', 'gatehouse'));
}

async function until<T>(what: string, bound: number, probe: () => T | undefined, log: () => string): Promise<T> {
  const deadline = Date.now() + bound;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not seen within ${bound} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('SIGHUP through npm exec', () => {
  it('reloads the changed artifacts, logs it, and serves the new version', async () => {
    const dir = join(work.path, 'project');
    scratchProject(dir);
    const dist = join(dir, 'dist');
    const first = await compileExample('first', dist);
    const [admin] = (await freePorts(1)) as [number];
    const child = spawn(
      'npm',
      ['exec', '--', 'gatehouse', 'serve', '--artifacts', dist, '--insecure-plaintext', '--xds-port', '0', '--authz-port', '0', '--admin-port', `${admin}`,
        '--audit-dir', join(dir, 'audit')],
      {
        cwd: dir,
        detached: true, // its own process group, so the test can stop npm and everything under it
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, GATEHOUSE_SECRET_PAYMENTS_API_KEY: 'k', GATEHOUSE_SECRET_TICKETS_API_TOKEN: 't' },
      },
    );
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      const pid = await until('the listening line', 60_000, () => /control plane listening .*pid=(\d+)/.exec(log)?.[1], () => log);
      expect(Number(pid)).not.toBe(child.pid); // the gatehouse process, not npm
      expect(log).toContain(`artifacts loaded version=${first.manifest!.version}`);

      process.kill(Number(pid), 'SIGHUP');
      await until('the unchanged reload', 10_000, () => (/reload: the artifacts did not change serving=\w+/.test(log) ? true : undefined), () => log);

      const second = await compileExample('second', dist);
      expect(second.manifest!.version).not.toBe(first.manifest!.version);
      process.kill(Number(pid), 'SIGHUP');
      await until('the reload', 10_000, () => (log.includes(`artifacts loaded version=${second.manifest!.version}`) ? true : undefined), () => log);
      expect(log).toMatch(/reload requested by=SIGHUP/);
      const status = (await (await fetch(`http://127.0.0.1:${admin}/status`)).json()) as { artifacts: { loaded?: { version: string } } };
      expect(status.artifacts.loaded?.version).toBe(second.manifest!.version);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  });
});
