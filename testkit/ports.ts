// Free TCP ports on 127.0.0.1, for servers that tests start later (Envoy, the example's MCP servers, the control plane).
//
// A port is chosen, then bound by another process some time later, so two things can take it in between:
// - an outgoing connection's local port: the kernel picks those from the ephemeral range (32768–60999 on Linux), so ports
//   are chosen below it, where the kernel never picks one by itself;
// - another test file running at the same time: each port handed out is claimed by a file in a shared directory, created
//   exclusively and naming this process, so no other process is given it while this one lives.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIRST_PORT = 20_000;
const LAST_PORT = 32_767;
const CLAIMS = join(tmpdir(), 'gatehouse-test-ports');
const claimed = new Set<number>();

export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let attempt = 0; ports.length < count; attempt++) {
    if (attempt > count + 2_000) throw new Error(`no free port left between ${String(FIRST_PORT)} and ${String(LAST_PORT)}`);
    const port = FIRST_PORT + Math.floor(Math.random() * (LAST_PORT - FIRST_PORT + 1));
    if (claimed.has(port) || !claim(port)) continue;
    if (await bindable(port)) ports.push(port);
  }
  return ports;
}

/** Claims `port` for this process; false when a live process holds it. */
function claim(port: number): boolean {
  mkdirSync(CLAIMS, { recursive: true });
  const file = join(CLAIMS, String(port));
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    if (holderAlive(file)) return false;
    // The process that claimed it is gone: take the claim over.
    writeFileSync(file, String(process.pid));
  }
  claimed.add(port);
  return true;
}

function holderAlive(file: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

process.once('exit', () => {
  for (const port of claimed) {
    try {
      unlinkSync(join(CLAIMS, String(port)));
    } catch {
      // Already gone: nothing to release.
    }
  }
});
