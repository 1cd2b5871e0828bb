// The headless browser the catalog page's test drives: Chromium from the distribution's packages
// (Debian's `chromium`), not a browser download of Playwright's own, so it comes from the same
// signed archive as the rest of the machine. It is a system package, not a pinned tool in the
// tools cache: installed with apt-get when /usr/bin/chromium is missing, and the version installed
// is recorded in the tools folder. Installed on request only (`gatehouse tools install chromium`,
// or the browser test's own setup), so `npm install` stays light.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.ts';
import { toolsDir } from './tools.ts';

export const BROWSER_NAME = 'chromium';
/** Where Debian's package puts the browser. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
/** Points at another Chromium (or Chrome) binary, e.g. on a machine without apt. */
export const BROWSER_OVERRIDE = 'GATEHOUSE_CHROMIUM';

export interface BrowserStatus {
  readonly ok: boolean;
  readonly path: string;
  /** The browser's own version line (`Chromium 156.0.8078.114 built on Debian …`) when ok. */
  readonly version?: string;
  /** What was found or done, or what is missing and how to get it. */
  readonly detail: string;
}

/** The browser's path: the override when set, else Debian's (`system`: another place, for tests). */
export function browserPath(env: NodeJS.ProcessEnv = process.env, system = SYSTEM_CHROMIUM): string {
  return env[BROWSER_OVERRIDE] || system;
}

/** Where the version of the browser installed by `installBrowser` is recorded. */
export function browserRecordPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(toolsDir(env), 'chromium.json');
}

/** Checks the browser without installing anything: it must exist and answer `--version`. */
export async function checkBrowser(env: NodeJS.ProcessEnv = process.env, system = SYSTEM_CHROMIUM): Promise<BrowserStatus> {
  const path = browserPath(env, system);
  if (!existsSync(path)) return { ok: false, path, detail: `not installed at ${path}` };
  const result = await run(path, ['--version'], { env, timeoutMs: 30_000 });
  const version = result.stdout.trim().split('\n')[0] ?? '';
  if (result.code !== 0 || !/\d+\.\d+/.test(version)) {
    return { ok: false, path, detail: `${path} does not run (${(result.stderr || result.stdout).trim().split('\n')[0] ?? `exit ${result.code}`})` };
  }
  return { ok: true, path, version, detail: version };
}

/**
 * Installs Chromium with `apt-get install -y --no-install-recommends chromium` unless it is there
 * (then nothing is done). Without apt, or without root, says what to do instead.
 */
export async function installBrowser(
  progress: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
  system = SYSTEM_CHROMIUM,
): Promise<BrowserStatus> {
  const before = await checkBrowser(env, system);
  if (before.ok) {
    progress(`chromium: ok (${before.path}: ${before.detail})`);
    return before;
  }
  if (env[BROWSER_OVERRIDE]) return before; // an explicit override is never replaced
  const refusal = await cannotUseApt(env);
  if (refusal) return { ...before, detail: `${before.detail}; ${refusal}` };
  progress('chromium: installing with apt-get (Debian package chromium, about 100 MB)');
  const started = Date.now();
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', BROWSER_NAME], { env: aptEnv, timeoutMs: 900_000 });
  let result = await install();
  if (result.code !== 0 && /Unable to locate package|has no installation candidate/.test(result.stderr)) {
    // A fresh machine (a CI image) may have no package lists yet.
    progress('chromium: apt has no package lists; running apt-get update');
    await run('apt-get', ['update'], { env: aptEnv, timeoutMs: 300_000 });
    result = await install();
  }
  if (result.code !== 0) {
    return { ...before, detail: `apt-get install chromium failed:\n${result.stderr.trim().split('\n').slice(-10).join('\n')}` };
  }
  const after = await checkBrowser(env, system);
  if (after.ok) {
    const packaged = await run('dpkg-query', ['-W', '-f=${Version}', BROWSER_NAME], { env });
    const record = { package: BROWSER_NAME, version: packaged.stdout.trim(), reports: after.version, path: after.path, installedAt: new Date().toISOString() };
    mkdirSync(toolsDir(env), { recursive: true });
    writeFileSync(browserRecordPath(env), `${JSON.stringify(record, null, 2)}\n`);
    progress(`chromium: installed ${record.version} in ${Math.round((Date.now() - started) / 1000)} s (recorded in ${browserRecordPath(env)})`);
  }
  return after;
}

/** Why apt-get cannot install the browser here, or undefined when it can. */
async function cannotUseApt(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const apt = await run('apt-get', ['--version'], { env });
  if (apt.code !== 0) {
    return `apt-get is not available: install Chromium with your system's package manager, or set ${BROWSER_OVERRIDE} to a Chromium binary`;
  }
  if (process.getuid?.() !== 0) {
    return `installing needs root: run \`sudo apt-get install -y --no-install-recommends chromium\`, or set ${BROWSER_OVERRIDE} to a Chromium binary`;
  }
  return undefined;
}
