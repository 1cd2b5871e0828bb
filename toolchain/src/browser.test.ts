// Getting the test browser: nothing done when it runs, apt-get when it is missing (the version
// recorded), and a message saying what to do when apt or root is not there. apt-get, dpkg-query
// and the browser are stand-in scripts here, found through PATH.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { browserRecordPath, installBrowser } from './browser.ts';

const work = mkdtempSync(join(tmpdir(), 'gatehouse-browser-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let dir: string;
let n = 0;
beforeEach(() => {
  dir = join(work, String(n++));
  mkdirSync(join(dir, 'bin'), { recursive: true });
});

const script = (path: string, body: string) => {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
};
const FAKE_BROWSER = 'echo "Chromium 156.0.1.2 built on Test"';
const browser = () => join(dir, 'usr-bin-chromium');
/** An apt-get that logs its call and "installs" the browser; a dpkg-query that knows its version. */
const withApt = () => {
  script(join(dir, 'bin', 'apt-get'),
    `[ "$1" = "--version" ] && exit 0\necho "$@" >> ${dir}/apt-calls\nprintf '#!/bin/sh\\n${FAKE_BROWSER}\\n' > ${browser()}\n/bin/chmod +x ${browser()}`);
  script(join(dir, 'bin', 'dpkg-query'), 'printf "156.0.1.2-1~deb12u1"');
};
const env = () => ({ PATH: join(dir, 'bin'), GATEHOUSE_TOOLS_DIR: join(dir, 'tools') });
const lines: string[] = [];
const progress = (line: string) => lines.push(line);

describe('the test browser', () => {
  it('is left alone when it runs', async () => {
    withApt();
    script(browser(), FAKE_BROWSER);
    const status = await installBrowser(progress, env(), browser());
    expect(status).toMatchObject({ ok: true, path: browser(), version: 'Chromium 156.0.1.2 built on Test' });
    expect(existsSync(join(dir, 'apt-calls'))).toBe(false);
  });

  it('is installed with apt-get when missing, and its version recorded (as root; otherwise says to use sudo)', async () => {
    withApt();
    const status = await installBrowser(progress, env(), browser());
    if (process.getuid?.() !== 0) {
      expect(status.ok).toBe(false);
      expect(status.detail).toContain('sudo apt-get install -y --no-install-recommends chromium');
      return;
    }
    expect(status.ok).toBe(true);
    expect(readFileSync(join(dir, 'apt-calls'), 'utf8')).toBe('install -y --no-install-recommends chromium\n');
    const record = JSON.parse(readFileSync(browserRecordPath(env()), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ package: 'chromium', version: '156.0.1.2-1~deb12u1', reports: 'Chromium 156.0.1.2 built on Test', path: browser() });
  });

  it('without apt, says what to do instead', async () => {
    const status = await installBrowser(progress, env(), browser());
    expect(status.ok).toBe(false);
    expect(status.detail).toContain(`not installed at ${browser()}`);
    expect(status.detail).toContain('apt-get is not available');
    expect(status.detail).toContain('GATEHOUSE_CHROMIUM');
  });

  it('never replaces an explicit GATEHOUSE_CHROMIUM', async () => {
    withApt();
    const status = await installBrowser(progress, { ...env(), GATEHOUSE_CHROMIUM: join(dir, 'elsewhere') }, browser());
    expect(status).toMatchObject({ ok: false, path: join(dir, 'elsewhere') });
    expect(existsSync(join(dir, 'apt-calls'))).toBe(false);
  });
});
