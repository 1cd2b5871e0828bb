// Artifacts from CI over HTTP, end to end: a real `gatehouse serve --artifacts http://…` process
// polls a local static host (testkit/artifact-host.ts) and the real Envoy converges on each set
// published there: an unchanged set costs a 304, a new grant is enforced within seconds, and a
// set with a tampered file is refused while calls keep flowing on the last good set.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE } from '../../artifacts/src/layout.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { startArtifactHost, type ArtifactHost } from '../../testkit/artifact-host.ts';
import { freePorts } from '../../testkit/ports.ts';
import { eventually, startTestStack, type TestStack } from '../harness/stack.ts';

const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');

let stack: TestStack;
let host: ArtifactHost;
let serve: ChildProcess | undefined;
let serveLog = '';
let admin: number;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = (await stack.tokenFor('support'))!;
  host = await startArtifactHost();
  host.publish(stack.artifactsDir);
  // The in-process control plane makes way for a real `serve` on the same ports, fed from the host.
  await stack.controlPlane.stop();
  [admin] = (await freePorts(1)) as [number];
  const state = join(stack.artifactsDir, '..');
  const tls = stack.tls!;
  serve = spawn(
    process.execPath,
    [BIN, 'serve', '--artifacts', host.url, '--artifacts-poll-interval', '0.2', '--xds-port', `${stack.ports.xds}`, '--authz-port', `${stack.ports.authz}`,
      '--admin-port', `${admin}`, '--secrets-dir', join(state, 'secrets'), '--audit-dir', stack.auditDir, '--session-key-file', join(state, 'session.key'),
      '--tls-ca', tls.caFile, '--tls-cert', tls.certFile, '--tls-key', tls.keyFile, '--trust-domain', tls.trustDomain],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  serve.stderr?.on('data', (d: Buffer) => (serveLog += d.toString()));
  await eventually(() => Promise.resolve(serveLog.includes('control plane listening')), 60_000, 'serve starts');
}, 120_000);

afterAll(async () => {
  if (serve?.exitCode === null) {
    const exited = new Promise((resolve) => serve?.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  }
  await (host as ArtifactHost | undefined)?.close();
  await (stack as TestStack | undefined)?.dispose();
});

interface Status {
  artifacts: { loaded?: { version: string }; rejected?: { version?: string; reason: string }; source?: { lastFetch?: { result: string } } };
  nodes: { id: string; types: { listeners?: { acked?: string } } }[];
}
const status = async () => (await (await fetch(`http://127.0.0.1:${admin}/status`)).json()) as Status;

/** Whether support may call tickets__delete_ticket right now (on a fresh MCP session). */
async function supportMayDelete(): Promise<boolean> {
  const client = await stack.connect('helpdesk', token);
  try {
    await client.callTool({ name: 'tickets__delete_ticket', arguments: { id: 'T-1003' } });
    return true;
  } catch (error) {
    if (!String(error).includes('has no grant')) throw error;
    return false;
  } finally {
    await client.close();
  }
}

async function recompile(): Promise<string> {
  const compiled = await stack.recompile();
  expect(compiled.ok, compiled.report).toBe(true);
  return compiled.version!;
}

describe('serve --artifacts http://…', () => {
  it('converges Envoy on each published set, polls with 304s, and refuses a tampered set keeping the last good one', async () => {
    const first = JSON.parse(readFileSync(join(stack.artifactsDir, 'manifest.json'), 'utf8')) as { version: string };
    await eventually(async () => (await status()).artifacts.loaded?.version === first.version, 20_000, 'the first set loads from the host');
    // Envoy's gRPC connections to the stopped in-process control plane reconnect to `serve`.
    const answers = async () => supportMayDelete().then(() => true, () => false);
    await eventually(answers, 20_000, 'calls flow through serve');
    expect(await supportMayDelete()).toBe(false);
    // Unchanged: the host answers the polls with 304 and nothing but the manifest is asked for.
    const polled = host.requests.length;
    const notModified = () => host.requests.slice(polled).filter((q) => q.status === 304).length;
    await eventually(() => Promise.resolve(notModified() >= 3), 10_000, 'conditional polls');
    expect(host.requests.slice(polled).every((q) => q.path.endsWith('manifest.json'))).toBe(true);
    expect((await status()).artifacts.source?.lastFetch?.result).toBe('not-modified');

    // A new grant, published: the real Envoy enforces it.
    const grant = join(stack.root, 'registry', 'grants', 'support.yaml');
    writeFileSync(grant, readFileSync(grant, 'utf8').replace('close_ticket]', 'close_ticket, delete_ticket]'));
    const second = await recompile();
    host.publish(stack.artifactsDir);
    await eventually(supportMayDelete, 20_000, 'the published grant is enforced through Envoy');
    expect((await status()).artifacts.loaded?.version).toBe(second);

    // A third set with a file changed after compile: refused, the second stays in force.
    writeFileSync(grant, readFileSync(grant, 'utf8').replace('close_ticket, delete_ticket]', 'close_ticket]'));
    await recompile();
    const tampered = join(stack.artifactsDir, '..', 'tampered');
    cpSync(stack.artifactsDir, tampered, { recursive: true });
    appendFileSync(join(tampered, BUNDLE_FILE), 'x');
    host.publish(tampered);
    await eventually(async () => (await status()).artifacts.rejected?.reason === 'hash-mismatch', 20_000, 'the tampered set is refused');
    expect((await status()).artifacts.loaded?.version).toBe(second);
    expect(await supportMayDelete()).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${admin}/metrics`)).text();
    expect(metrics).toMatch(/gatehouse_artifact_fetches_total\{result="not-modified"\} [1-9]/);
    expect(metrics).toContain('gatehouse_artifacts_rejected_total{reason="hash-mismatch"} 1');
  });
});
