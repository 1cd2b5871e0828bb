// `gatehouse up` with a port already taken: it says which port and which flag (or registry field)
// sets it, and exits with code 1 instead of hanging.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { freeExamplePorts, remapExamplePorts } from '../../testkit/example-ports.ts';
import { freePorts } from '../../testkit/ports.ts';
import { copyExampleRepo, tempDir } from '../../testkit/repo.ts';

const work = tempDir('gatehouse-up-ports-');
afterAll(() => work.remove());

/** A listener on 127.0.0.1:port that holds it for the test. */
async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

/** Runs `up` to its exit (killed after `boundMs`); the exit code and what it wrote. */
async function runUp(root: string, ports: readonly number[], boundMs: number) {
  const [xds, authz, admin] = ports;
  const child = spawn(
    process.execPath,
    [
      join(PROJECT_ROOT, 'bin', 'gatehouse.mjs'), 'up', '--root', root, '--no-transcript',
      '--xds-port', `${xds}`, '--authz-port', `${authz}`, '--admin-port', `${admin}`,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), boundMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}

describe('gatehouse up with a taken port', () => {
  it('names a taken control-plane port and its flag, and exits 1', async () => {
    const example = await freeExamplePorts();
    const root = copyExampleRepo(join(work.path, 'flag'), {}, (_path, text) => remapExamplePorts(text, example));
    const ports = await freePorts(3);
    const held = await occupy(ports[2]!);
    try {
      const { code, output } = await runUp(root, ports, 60_000);
      expect(output).toContain(`port ${ports[2]} (--admin-port) is taken`);
      expect(code).toBe(1);
    } finally {
      held.close();
    }
  });

  it('names a taken gateway port (Envoy binds it) and where the registry sets it, and exits 1', async () => {
    const example = await freeExamplePorts();
    const root = copyExampleRepo(join(work.path, 'registry'), {}, (_path, text) => remapExamplePorts(text, example));
    const held = await occupy(example.gateway);
    try {
      const { code, output } = await runUp(root, await freePorts(3), 60_000);
      expect(output).toContain(`port ${example.gateway} (Envoy listener of gateway local, registry/gateways/local.yaml spec.listener.port) is taken`);
      expect(code).toBe(1);
    } finally {
      held.close();
    }
  });
});
