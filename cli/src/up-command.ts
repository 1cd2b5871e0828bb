// `gatehouse up` (= `npm start`): the whole demo on this machine. Compiles the registry, starts the
// control plane, Envoy, the example MCP servers and a development identity provider, prints the
// endpoints and how to connect clients (client-instructions.ts), runs a short transcript, and
// recompiles when registry/ or policies/ change. Ctrl-C stops everything.
import { createHash } from 'node:crypto';
import { resolve, join } from 'node:path';
import { oneOf, parseFlags, portFlag } from './args.ts';
import { progressPrinter } from '../../compiler/src/pipeline/progress.ts';
import { readTree } from '../../compiler/src/source/read-tree.ts';
import { checkTools } from '../../toolchain/src/install.ts';
import { describeAdmin } from '../../xds-server/src/envoy-admin-address.ts';
import { LOG_LEVELS, stderrLogger } from '../../xds-server/src/log.ts';
import { startDemoStack, type DemoStack } from '../../demo/src/demo-stack.ts';
import { clientEndpoints, clientInstructions } from '../../demo/src/client-instructions.ts';
import { EXAMPLE_STEPS, runTranscript } from '../../demo/src/transcript.ts';
import { EnvoyRejectedListenerError, PortTakenError } from '../../demo/src/port-check.ts';
import { DEFAULT_XDS_PROTOCOL, XDS_PROTOCOLS } from '../../xds-server/src/xds-protocol.ts';

export const UP_USAGE =
  'Usage: gatehouse up [--root DIR] [--no-transcript] [--log-level warn] [--xds-port 18000] [--authz-port 18001] [--admin-port 18002] ' +
  '[--insecure-plaintext] [--xds-protocol delta|sotw]';

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    root: { type: 'string' },
    'no-transcript': { type: 'boolean' },
    'log-level': { type: 'string' },
    'xds-port': { type: 'string' },
    'authz-port': { type: 'string' },
    'admin-port': { type: 'string' },
    'insecure-plaintext': { type: 'boolean' },
    'xds-protocol': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(`${UP_USAGE}\n`);
    return 0;
  }
  const root = resolve(values.root ?? '.');
  const say = (line = '') => process.stdout.write(`${line}\n`);
  const progress = progressPrinter((line) => process.stderr.write(line), 'gatehouse up:');

  // promtool only checks the shipped alert rules (tests); the demo runs without it.
  const missing = (await checkTools()).filter((t) => !t.ok);
  if (missing.length > 0) {
    for (const t of missing) process.stderr.write(`gatehouse up: ${t.tool} is missing: ${t.detail}\n`);
    process.stderr.write('gatehouse up: run `npx gatehouse tools install` (npm install runs it) and try again\n');
    return 1;
  }
  let stack: DemoStack;
  try {
    stack = await startDemoStack({
      root,
      stateDir: join(root, '.gatehouse'),
      ports: {
        xds: portFlag('xds-port', values['xds-port'], 18000),
        authz: portFlag('authz-port', values['authz-port'], 18001),
        admin: portFlag('admin-port', values['admin-port'], 18002),
      },
      logger: stderrLogger(oneOf('log-level', values['log-level'], LOG_LEVELS, 'warn')),
      progress,
      // Mutual TLS unless asked otherwise (the control plane then logs a loud warning).
      plaintext: values['insecure-plaintext'] === true,
      xdsProtocol: oneOf('xds-protocol', values['xds-protocol'], XDS_PROTOCOLS, DEFAULT_XDS_PROTOCOL),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    for (const line of message.split('\n')) process.stderr.write(`gatehouse up: ${line}\n`);
    if (error instanceof PortTakenError || error instanceof EnvoyRejectedListenerError || /EADDRINUSE/.test(message)) {
      process.stderr.write('gatehouse up: a port is taken; is another `gatehouse up` running? Each port is a flag above or a field in the registry.\n');
    }
    return 1;
  }

  say('\nGatehouse is up.\n');
  const transport = stack.pki ? `mutual TLS (development CA and certificates in ${stack.pki.dir})` : 'PLAINTEXT (--insecure-plaintext)';
  say(`Envoy <-> control plane: ${transport}`);
  for (const [fleet, envoy] of stack.envoys) say(`Envoy admin (fleet ${fleet}, this user only): ${describeAdmin(envoy.admin)}`);
  say('');
  say('MCP endpoints (streamable HTTP, bearer token required):');
  for (const vs of stack.ir.virtualServers) say(`  ${vs.name.padEnd(14)} ${stack.endpoint(vs.name)}   ${vs.description}`);
  say('\nConnect a client:');
  say(clientInstructions({ issuer: stack.backends.idp.issuer, endpoints: clientEndpoints(stack.ir, (vs) => stack.endpoint(vs)) }));
  say(`\nControl plane: http://127.0.0.1:${stack.ports.admin}/status and /metrics; artifacts in ${stack.artifactsDir}`);
  for (const head of stack.controlPlane.audit?.heads() ?? []) {
    say(`Audit log (gateway ${head.stream}): ${head.file}   check it: npx gatehouse audit verify ${stack.auditDir}`);
  }
  if (stack.backends.skipped.length > 0) say(`Not started (no demo implementation): ${stack.backends.skipped.join(', ')}`);

  if (!values['no-transcript']) {
    say('\nTranscript:');
    const teams = new Set(stack.ir.teams.map((t) => t.name));
    const vss = new Set(stack.ir.virtualServers.map((v) => v.name));
    const steps = EXAMPLE_STEPS.filter((s) => teams.has(s.team) && vss.has(s.virtualServer));
    const tokens = new Map<string, string>();
    for (const team of teams) {
      const token = await stack.tokenFor(team);
      if (token) tokens.set(team, token);
    }
    for (const line of await runTranscript(steps, (vs) => stack.endpoint(vs), (team) => tokens.get(team))) {
      const verdict = line.allowed ? 'ALLOWED' : 'DENIED ';
      say(`  ${verdict} ${line.step.team.padEnd(12)} ${`${line.step.virtualServer}/${line.step.tool}`.padEnd(36)} ${line.detail}   (${line.step.why})`);
    }
  }
  say('\nEdit registry/ or policies/ and Gatehouse recompiles; Envoy enforces the change within seconds. Ctrl-C stops everything.');
  say(`(pid ${process.pid}: \`kill -HUP ${process.pid}\` recompiles now; npm and npx do not pass SIGHUP on, so signal this pid.)`);

  // One recompile at a time (the watcher and SIGHUP both ask): a request waits for the one running.
  let queue = Promise.resolve();
  const rebuild = () => (queue = queue.then(recompileOnce));
  const recompileOnce = async () => {
    try {
      const result = await stack.recompile();
      if (result.ok) say(`gatehouse up: recompiled; now serving version ${result.version}`);
      else say(`gatehouse up: the change does not compile; the running gateway keeps the previous version:\n${result.report}`);
    } catch (error) {
      // An unexpected failure (say, writing the artifacts) must not take the running demo down with it.
      say(`gatehouse up: recompiling failed; the running gateway keeps the previous version: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const stopWatching = watchSources(root, rebuild);
  // SIGHUP recompiles at once. npm and npx do not forward SIGHUP to the command they run: signal this pid.
  const onHangup = () => {
    say(`gatehouse up: SIGHUP: recompiling (pid ${process.pid})`);
    void rebuild();
  };
  process.on('SIGHUP', onHangup);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  say('\ngatehouse up: stopping');
  process.off('SIGHUP', onHangup);
  stopWatching();
  await stack.stop();
  return 0;
}

/**
 * Polls registry/ and policies/ (cheap: a few dozen small files) and calls onChange after a change settles.
 * onChange reports its own failures: it must not reject.
 */
function watchSources(root: string, onChange: () => Promise<void>): () => void {
  const fingerprint = () => {
    const hash = createHash('sha256');
    for (const f of readTree(root).files) hash.update(f.path).update('\0').update(f.text ?? f.readError ?? '').update('\0');
    return hash.digest('hex');
  };
  let last = fingerprint();
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    const now = fingerprint();
    if (now === last) return;
    last = now;
    running = true;
    void onChange().finally(() => {
      running = false;
    });
  }, 1000);
  return () => clearInterval(timer);
}
