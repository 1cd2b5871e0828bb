// `npm start` (= `gatehouse up`) as a newcomer runs it: the whole demo comes up, prints endpoints,
// how to connect clients and a transcript of allowed and denied calls, and Ctrl-C stops every process it started.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditPath } from '../../audit/src/verify-path.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { freeExamplePorts, remapExamplePorts } from '../../testkit/example-ports.ts';
import { freePorts } from '../../testkit/ports.ts';
import { copyExampleRepo, tempDir } from '../../testkit/repo.ts';
import { envoyAdminGet } from '../../demo/src/envoy-admin.ts';

const work = tempDir('gatehouse-up-');
afterAll(() => work.remove());

describe('gatehouse up', () => {
  it('runs the demo, prints a transcript, and stops cleanly on Ctrl-C', async () => {
    const example = await freeExamplePorts();
    const root = copyExampleRepo(join(work.path, 'repo'), {}, (_path, text) => remapExamplePorts(text, example));
    const [xds, authz, admin] = await freePorts(3);
    const child = spawn(
      process.execPath,
      [
        join(PROJECT_ROOT, 'bin', 'gatehouse.mjs'), 'up', '--root', root,
        '--xds-port', `${xds}`, '--authz-port', `${authz}`, '--admin-port', `${admin}`,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const started = Date.now();
      while (!out.includes('Ctrl-C stops everything')) {
        if (child.exitCode !== null) throw new Error(`up exited early (${child.exitCode}):\n${out}\n${err}`);
        if (Date.now() - started > 60_000) throw new Error(`up did not finish starting:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(out).toContain(`helpdesk       http://127.0.0.1:${example.gateway}/mcp/helpdesk`);
      // How to connect clients (client-instructions.ts) instead of tokens that expire within the hour.
      expect(out).toContain(`--cli http://127.0.0.1:${example.gateway}/mcp/helpdesk --transport http --method tools/list`);
      expect(out).toContain('"type": "http"');
      expect(out).toMatch(/ALLOWED support +helpdesk\/tickets__search_tickets/);
      expect(out).toMatch(/DENIED +support +helpdesk\/tickets__delete_ticket +team support has no grant for tickets\/delete_ticket/);
      expect(out).toMatch(/DENIED +payments +payments-ops\/issue_refund +refunds over 1000 need a second approver/);
      // Upstream identity: the whoami server gets each caller's own exchanged token and answers per user.
      expect(out).toMatch(/ALLOWED support +whoami\/whoami +\{"subject":"support-member","audience":"urn:gatehouse:whoami","actor":"gatehouse-upstream"\}/);
      expect(out).toMatch(/ALLOWED engineering +whoami\/whoami +\{"subject":"engineering-member","audience":"urn:gatehouse:whoami","actor":"gatehouse-upstream"\}/);
      expect(err).toMatch(/gatehouse up: start Envoy \(fleet default\)/);
      expect(out).toContain(`Audit log (gateway local): ${join(root, '.gatehouse', 'audit', 'local-000001.jsonl')}`);
      // The control plane it started answers.
      const status = (await (await fetch(`http://127.0.0.1:${admin}/status`)).json()) as { nodes: { id: string }[] };
      expect(status.nodes.map((n) => n.id)).toContain('gatehouse-demo-default');
      // SIGHUP recompiles and says so (it used to kill the demo: Node's default for SIGHUP).
      expect(out).toContain(`kill -HUP ${child.pid}`);
      child.kill('SIGHUP');
      const hup = Date.now();
      while (!/SIGHUP: recompiling[\s\S]*recompiled; now serving version \w+/.test(out)) {
        if (child.exitCode !== null || Date.now() - hup > 60_000) throw new Error(`no recompile after SIGHUP:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('gatehouse up: stopping');
    // The audit log holds the transcript's calls, closed by a shutdown checkpoint, and verifies
    // with the key and anchors the demo keeps beside it (.gatehouse/audit.key, .gatehouse/audit-anchors/).
    const verified = verifyAuditPath(join(root, '.gatehouse', 'audit'));
    if ('error' in verified) throw new Error(verified.error);
    const [audit] = verified.streams;
    const [report] = verified.reports;
    expect(report?.problem).toBeUndefined();
    expect(report?.records).toBeGreaterThanOrEqual(5);
    expect(report?.anchored).toMatchObject({ linesAfter: 0 });
    expect(audit!.files.at(-1)!.text).toMatch(/"reason":"shutdown".*\n$/);
    // Everything it started is gone: Envoy's admin socket no longer answers.
    await expect(envoyAdminGet({ socket: join(root, '.gatehouse', 'envoy-default', 'admin.sock') }, '/ready')).rejects.toThrow();
  });
});
