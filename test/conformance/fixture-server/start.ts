// Starts the fixture server as a child process (the way a harness does) and stops it again.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../../toolchain/src/tools.ts';

export const FIXTURE_SERVER_ENTRY = join(PROJECT_ROOT, 'test/conformance/fixture-server/fixture-server.ts');

export interface RunningFixtureServer {
  url: string;
  stop: () => Promise<void>;
}

// Resolves with the endpoint the server prints once it listens; rejects if it exits or stays silent first.
export async function startFixtureServer(port: number, timeoutMs = 30_000): Promise<RunningFixtureServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE_SERVER_ENTRY], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`fixture server printed no endpoint within ${String(timeoutMs)} ms`)); }, timeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const endpoint = /MCP endpoint (http:\/\/\S+)/.exec(line)?.[1];
      if (endpoint !== undefined) {
        clearTimeout(timer);
        resolve(endpoint);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`fixture server exited before it was ready (code ${String(child.exitCode)})`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, stop };
}
