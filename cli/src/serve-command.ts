// `gatehouse serve`: runs the control plane on an artifact folder or published URL until SIGINT or SIGTERM.
import { resolve } from 'node:path';
import { oneOf, parseFlags, portFlag } from './args.ts';
import { UsageError } from './usage-error.ts';
import { ControlPlane } from '../../xds-server/src/control-plane.ts';
import { LOG_LEVELS, stderrLogger } from '../../xds-server/src/log.ts';
import { readAdminToken } from './admin-token.ts';
import { trustedKeys } from './signing-keys.ts';
import { TlsFileError } from '../../xds-server/src/tls/tls-files.ts';
import { SessionKeyError } from '../../xds-server/src/session-binding/session-key-file.ts';
import { TLS_FLAGS, TLS_USAGE, tlsFlags } from './tls-flags.ts';
import { isArtifactUrl } from '../../xds-server/src/artifacts/artifact-source.ts';
import { HTTP_SOURCE_DEFAULTS } from '../../xds-server/src/artifacts/http-source.ts';
import { hostname } from 'node:os';
import { hostPortFlag } from './host-port-flag.ts';
import { isReplicaId, replicaIdOfHost } from '../../xds-server/src/audit/replica-id.ts';
import { AuditLogError } from '../../xds-server/src/audit/audit-log-error.ts';

export const SERVE_USAGE =
  'Usage: gatehouse serve --artifacts DIR|URL [--artifacts-poll-interval SECONDS] [--artifacts-timeout SECONDS] [--artifacts-max-bytes N] ' +
  '[--xds-port 18000] [--authz-port 18001] [--admin-port 18002] [--host 127.0.0.1] [--advertise-host HOST] ' +
  '[--replica-id ID] [--replica-address HOST:PORT]… ' +
  '[--secrets-dir DIR] [--audit-dir DIR] [--audit-key-file FILE] [--audit-anchor-dir DIR] [--session-key-file FILE] [--log-level info] ' +
  `[--trusted-key FILE]… [--admin-token-file FILE] ${TLS_USAGE}`;

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    artifacts: { type: 'string' },
    'artifacts-poll-interval': { type: 'string' },
    'artifacts-timeout': { type: 'string' },
    'artifacts-max-bytes': { type: 'string' },
    'xds-port': { type: 'string' },
    'authz-port': { type: 'string' },
    'admin-port': { type: 'string' },
    host: { type: 'string' },
    'advertise-host': { type: 'string' },
    'replica-id': { type: 'string' },
    'replica-address': { type: 'string', multiple: true },
    'secrets-dir': { type: 'string' },
    'audit-dir': { type: 'string' },
    'audit-key-file': { type: 'string' },
    'audit-anchor-dir': { type: 'string' },
    'session-key-file': { type: 'string' },
    'log-level': { type: 'string' },
    'trusted-key': { type: 'string', multiple: true },
    'admin-token-file': { type: 'string' },
    ...TLS_FLAGS,
  });
  if (values.help) {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  if (!values.artifacts) throw new UsageError('--artifacts is required');
  const port = (flag: string, value: string | undefined, fallback: number) => portFlag(flag, value, fallback, { allowZero: true });
  const level = oneOf('log-level', values['log-level'], LOG_LEVELS, 'info');
  const host = values.host ?? '127.0.0.1';
  // Artifact sets must be signed by one of these (several during a key rotation).
  const keys = values['trusted-key'] ? trustedKeys(values['trusted-key']) : undefined;
  const adminToken = values['admin-token-file'] === undefined ? undefined : readAdminToken(values['admin-token-file']);
  const tls = tlsFlags(values);
  // A folder is polled twice a second (a stat and a read); a URL every 10 s by default (one conditional GET).
  const url = isArtifactUrl(values.artifacts);
  if (!url && (values['artifacts-timeout'] ?? values['artifacts-max-bytes']) !== undefined) {
    throw new UsageError('--artifacts-timeout and --artifacts-max-bytes apply to an http(s) --artifacts URL only');
  }
  const pollSeconds = positiveNumber('artifacts-poll-interval', values['artifacts-poll-interval'], url ? 10 : 0.5);
  // HA: this replica's audit streams are its own (`<gateway>.<replica>`), and Envoy is sent every replica's address.
  const replicaId = values['replica-id'] ?? replicaIdOfHost(hostname());
  if (!isReplicaId(replicaId)) throw new UsageError(`--replica-id must be lower-case letters, digits and inner hyphens (got "${replicaId}")`);
  const replicas = values['replica-address']?.map((address) => hostPortFlag('replica-address', address));
  const controlPlane = new ControlPlane({
    artifactsDir: url ? values.artifacts : resolve(values.artifacts),
    pollIntervalMs: pollSeconds * 1000,
    ...(url
      ? {
          artifactsHttp: {
            timeoutMs: positiveNumber('artifacts-timeout', values['artifacts-timeout'], HTTP_SOURCE_DEFAULTS.timeoutMs / 1000) * 1000,
            maxSetBytes: positiveNumber('artifacts-max-bytes', values['artifacts-max-bytes'], HTTP_SOURCE_DEFAULTS.maxSetBytes),
          },
        }
      : {}),
    host,
    xdsPort: port('xds-port', values['xds-port'], 18000),
    authzPort: port('authz-port', values['authz-port'], 18001),
    adminPort: port('admin-port', values['admin-port'], 18002),
    advertiseHost: values['advertise-host'] ?? (host === '0.0.0.0' ? '127.0.0.1' : host),
    replicaId,
    ...(replicas ? { replicas } : {}),
    ...(values['secrets-dir'] ? { secretsDir: resolve(values['secrets-dir']) } : {}),
    // The audit log (docs/observability.md): rotation and retention come from the registry's gateways.
    // Its key and anchors default to beside it (.gatehouse/audit.key, .gatehouse/audit-anchors/).
    auditDir: resolve(values['audit-dir'] ?? '.gatehouse/audit'),
    ...(values['audit-key-file'] ? { auditKeyFile: resolve(values['audit-key-file']) } : {}),
    ...(values['audit-anchor-dir'] ? { auditAnchorDir: resolve(values['audit-anchor-dir']) } : {}),
    // Binds MCP sessions to their caller; every replica must be given the same file.
    sessionKeyFile: resolve(values['session-key-file'] ?? '.gatehouse/session.key'),
    env: process.env,
    ...(keys ? { trustedKeys: keys } : {}),
    ...(adminToken === undefined ? {} : { adminToken }),
    logger: stderrLogger(level),
    ...(tls ? { tls: { ...tls, caFile: resolve(tls.caFile), certFile: resolve(tls.certFile), keyFile: resolve(tls.keyFile) } } : {}),
  });
  // Registered before start: a SIGHUP during start-up must not kill the process (Node's default).
  const onHangup = () => void controlPlane.reloadRequested('SIGHUP');
  process.on('SIGHUP', onHangup);
  try {
    await controlPlane.start();
  } catch (error) {
    // Stop what did start (a port taken half-way leaves servers that keep the process alive).
    await controlPlane.stop();
    process.off('SIGHUP', onHangup);
    if (!(error instanceof TlsFileError || error instanceof SessionKeyError || error instanceof AuditLogError) && !isAddressInUse(error)) throw error;
    process.stderr.write(`gatehouse serve: ${error instanceof Error ? error.message : String(error)}\n`);
    if (isAddressInUse(error)) process.stderr.write('gatehouse serve: a port is taken: choose another with --xds-port, --authz-port or --admin-port\n');
    return 1;
  }
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  process.off('SIGHUP', onHangup);
  await controlPlane.stop();
  return 0;
}

function positiveNumber(flag: string, value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number (got "${value}")`);
  return n;
}

/** A port is taken: the error names the address (ports are the --*-port flags). */
function isAddressInUse(error: unknown): boolean {
  return error instanceof Error && /EADDRINUSE|address already in use/i.test(error.message);
}
