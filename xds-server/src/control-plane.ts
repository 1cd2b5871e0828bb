// The control plane: ADS for Envoy fleets, ext_authz on the policy bundle, the access-log sink and
// the admin endpoint, all fed by one artifact folder that is hot-reloaded.
import { randomBytes, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { createAdminServer } from './admin/admin-server.ts';
import { adminAccess } from './admin/admin-access.ts';
import { createMetrics, initialiseGatewaySeries, markArtifactsLoaded, type Metrics } from './admin/metrics.ts';
import { ADS_SERVICE, adsImplementation } from './ads/ads-service.ts';
import { NodeStatusRegistry } from './ads/node-status.ts';
import { ACCESS_LOG_SERVICE, accessLogImplementation, type AccessLogEntry } from './accesslog/access-log-service.ts';
import { ArtifactReloader } from './artifacts/reloader.ts';
import { artifactSource, type HttpArtifactOptions } from './artifacts/source-for.ts';
import { isArtifactUrl } from './artifacts/artifact-source.ts';
import { AUTHZ_SERVICE, authzImplementation } from './authz/authz-service.ts';
import type { PolicyInput } from './authz/check-input.ts';
import type { Decision } from './authz/decision.ts';
import type { Logger } from './log.ts';
import { auditSink } from './audit/audit-sink.ts';
import { withRbacDecision } from './audit/rbac-decision.ts';
import { loggedFilterMetadata } from './audit/access-log-record.ts';
import { AuditLog } from './audit/audit-log.ts';
import { RecentActivity } from './catalog/recent-activity.ts';
import { AccessEvaluator } from './catalog/access-evaluator.ts';
import { catalogPage } from './catalog/catalog-page.ts';
import { annotateDecision } from './audit/decision-annotations.ts';
import { TokenCache } from './upstream-identity/token-cache.ts';
import { applyUpstreamIdentity } from './upstream-identity/upstream-identity-step.ts';
import { PinEnforcer } from './tool-pins/pin-enforcer.ts';
import { refuseUnpinnedCall } from './tool-pins/refuse-unpinned-call.ts';
import { DEFAULT_GATEWAY_AUDIT } from '../../artifacts/src/audit-catalog.ts';
import { SnapshotCache } from './snapshot/snapshot-cache.ts';
import { RESPONSE_REWRITE_SERVICE, responseRewriteImplementation } from './response-rewrite/rewrite-service.ts';
import { controlPlaneTransport, type ControlPlaneTransport } from './tls/transport.ts';
import { bindSession } from './session-binding/bind-session.ts';
import { dispatchExtProc } from './ext-proc/dispatch.ts';
import { resultRecordingProcess } from './audit/result-recording-service.ts';
import { HEALTH_SERVICE, healthImplementation } from './health/health-service.ts';
import { warmUpChecks } from './authz/warm-up.ts';
import type { PolicyEngine } from '../../artifacts/src/policy/engine.ts';
import { guardrailProcess } from './guardrails/guardrail-service.ts';
import { guardrailEngineOf } from './guardrails/guardrail-engine.ts';
import { sessionBindingProcess } from './session-binding/session-binding-service.ts';
import { loadOrCreateSessionKey } from './session-binding/session-key-file.ts';
import { sessionSigner } from './session-binding/session-signer.ts';
import { SubjectCounters } from './subject-limits/subject-counters.ts';
import { recordLoggedSessionActivity, recordSessionActivity } from './subject-limits/session-activity.ts';
import type { ServerTlsOptions } from './tls/tls-files.ts';
import { registryApi, type RegistryApiMode } from './registry-api/registry-api.ts';

export interface ControlPlaneOptions {
  /** The artifact folder, or the http(s) URL where CI publishes the set (artifacts/http-source.ts). */
  readonly artifactsDir: string;
  /** Fetch limits for an http(s) `artifactsDir`. */
  readonly artifactsHttp?: HttpArtifactOptions;
  /** Address the servers bind (127.0.0.1 by default). */
  readonly host: string;
  readonly xdsPort: number;
  readonly authzPort: number;
  readonly adminPort: number;
  /** The address Envoy uses to reach ext_authz and the access-log service. */
  readonly advertiseHost: string;
  /**
   * HA: the ext_authz address (HOST:PORT) of every replica, this one's included, sent to Envoy as
   * the control-plane cluster's endpoints; every replica must be given the same list. Absent: this one alone.
   */
  readonly replicas?: readonly { readonly host: string; readonly port: number }[];
  /** This replica's id: its audit streams are `<gateway>.<replica>` (audit/audit-log.ts). Absent: `<gateway>`. */
  readonly replicaId?: string;
  readonly secretsDir?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly pollIntervalMs?: number;
  readonly onAccessLog?: (entries: readonly AccessLogEntry[]) => void;
  readonly onDecision?: (input: PolicyInput | undefined, decision: Decision) => void;
  /** Where the audit log goes (one hash-chained stream per gateway); absent: no audit log, metrics only. */
  readonly auditDir?: string;
  /** Public keys an artifact set must be signed by (artifacts/src/signature.ts); absent: not verified. */
  readonly trustedKeys?: readonly KeyObject[];
  /** The bearer token the admin endpoint's /status and /metrics require (admin/admin-access.ts). */
  readonly adminToken?: string;
  /** The MCP Registry API on the admin endpoint (registry-api/registry-api.ts); default `admin`: behind the admin token. */
  readonly registryApi?: RegistryApiMode;
  /** The reverse-DNS namespace of the registry API's server names; default: each endpoint's host, reversed. */
  readonly registryNamespace?: string;
  /**
   * Mutual TLS for every gRPC service (tls/): node identities come from client certificates.
   * Absent: plaintext, logged as a warning — for tests and local experiments only.
   */
  readonly tls?: ServerTlsOptions;
  /** The audit key file (created when missing); default `audit.key` beside `auditDir`. */
  readonly auditKeyFile?: string;
  /** Where the audit anchors go; default `audit-anchors` beside `auditDir` (docs/observability.md#anchors). */
  readonly auditAnchorDir?: string;
  /**
   * The key that binds MCP sessions to their caller (session-binding/), shared by every replica;
   * created when missing. Absent: a random key per process (sessions end with a restart).
   */
  readonly sessionKeyFile?: string;
  /** How long a session nothing uses still counts against its caller's session limit (subject-limits/); default 15 minutes. */
  readonly sessionIdleMs?: number;
  /**
   * How long the control plane waits for an identity provider's token endpoint (upstream identities);
   * default 200 ms. Keep it under the gateway's `authz.timeout`, so a slow provider yields the readable JSON-RPC error.
   */
  readonly upstreamTokenTimeoutMs?: number;
}

const DEFAULT_UPSTREAM_TOKEN_TIMEOUT_MS = 200;
/** Upstream tokens held at most (per caller and server), and how long before expiry one is no longer used. */
const UPSTREAM_TOKEN_CACHE = { maxEntries: 10_000, refreshBeforeMs: 30_000 };

const DEFAULT_SESSION_IDLE_MS = 15 * 60_000;

export interface ListeningPorts {
  readonly xds: number;
  readonly authz: number;
  readonly admin: number;
}

const GRPC_OPTIONS = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 5_000,
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
};

export class ControlPlane {
  readonly metrics: Metrics = createMetrics();
  readonly cache = new SnapshotCache();
  readonly nodes = new NodeStatusRegistry();
  /** Sessions and held streams per caller, counted by this replica (subject-limits/). */
  readonly subjectCounters: SubjectCounters;
  private readonly xds = new Server(GRPC_OPTIONS);
  private readonly authz = new Server(GRPC_OPTIONS);
  private admin?: HttpServer;
  private reloader?: ArtifactReloader;
  private ports?: ListeningPorts;
  private transport?: ControlPlaneTransport;
  /** Set by stop(): health checks answer NOT_SERVING from then on. */
  private stopping = false;
  /** Set once the Check path has run (authz/warm-up.ts): health checks answer NOT_SERVING before. */
  private warm = false;
  /** The audit log, when `auditDir` is set. */
  readonly audit?: AuditLog;
  /** Recent denials, costs by team and people seen, for the catalog page (catalog/). */
  readonly activity = new RecentActivity();
  private readonly accessEvaluator = new AccessEvaluator();
  /** Upstream tokens per caller and server (upstream-identity/); emptied when a new artifact set loads. */
  readonly upstreamTokens = new TokenCache({ ...UPSTREAM_TOKEN_CACHE, now: () => Date.now() });
  /** The upstream identity table the cached tokens were fetched under (JSON). */
  private identitiesServed = '';

  constructor(private readonly options: ControlPlaneOptions) {
    this.subjectCounters = new SubjectCounters({ sessionIdleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS });
    if (options.auditDir) {
      this.audit = new AuditLog({
        dir: options.auditDir,
        ...(options.replicaId ? { replica: options.replicaId } : {}),
        onStaleLock: (stream, holder) => options.logger.log('warn', 'took over the audit stream lock of a process that is gone', { stream, pid: holder.pid }),
        ...(options.auditKeyFile ? { keyFile: options.auditKeyFile } : {}),
        ...(options.auditAnchorDir ? { anchorDir: options.auditAnchorDir } : {}),
        onKeyCreated: (path) => options.logger.log('info', 'created the audit key; keep a copy where the auditor can reach it', { path }),
        settings: (gateway) => this.reloader?.artifacts?.audit.gateways[gateway] ?? DEFAULT_GATEWAY_AUDIT,
        onWrite: (_lines, _bytes, seconds) => this.metrics.auditWriteSeconds.observe(seconds),
        onError: (error, stream) => {
          this.metrics.auditWriteErrors.inc();
          options.logger.log('error', 'audit write failed; retrying', { stream, error: error.message });
        },
      });
    }
  }

  async start(): Promise<ListeningPorts> {
    const { options } = this;
    const transport = controlPlaneTransport(options.tls, options.logger);
    this.transport = transport;
    const { peers, credentials } = transport;
    const sessions = sessionSigner(await this.loadSessionKey());
    const authzPort = await bind(this.authz, options.host, options.authzPort, credentials);
    this.reloader = new ArtifactReloader({
      source: artifactSource(options.artifactsDir, {
        ...options.artifactsHttp,
        onFetch: (result) => this.metrics.artifactFetches.inc({ result }),
      }),
      controlPlane: {
        host: options.advertiseHost,
        port: authzPort,
        clusterInBootstrap: peers.mode === 'mtls',
        ...(options.replicas ? { replicas: options.replicas } : {}),
      },
      sessionJwks: sessions.jwks,
      ...(options.secretsDir ? { secretsDir: options.secretsDir } : {}),
      env: options.env,
      ...(options.trustedKeys ? { trustedKeys: options.trustedKeys } : {}),
      // A folder costs a read to poll; a URL a request to someone else's host.
      intervalMs: options.pollIntervalMs ?? (isArtifactUrl(options.artifactsDir) ? 10_000 : 500),
      staggerMs: reloadStagger(options.replicas, { host: options.advertiseHost, port: authzPort }),
      retryMs: 5_000,
      logger: options.logger,
      onLoaded: (artifacts) => {
        if (!this.warm && this.reloader) this.warmUp(artifacts.engine);
        this.metrics.artifactLoads.inc({ result: 'loaded' });
        markArtifactsLoaded(this.metrics, artifacts.version, artifacts.sourceRevision);
        initialiseGatewaySeries(this.metrics, Object.keys(artifacts.audit.gateways));
        this.cache.set(artifacts.snapshots);
        // Cached upstream tokens stay valid unless some server's upstream identity (audience, scopes, provider) changed.
        const identities = JSON.stringify(artifacts.identities.table);
        if (identities !== this.identitiesServed) this.upstreamTokens.clear();
        this.identitiesServed = identities;
        this.audit?.configure(Object.keys(artifacts.audit.gateways)).catch((error: unknown) => {
          options.logger.log('error', 'cannot open the audit log', { error: error instanceof Error ? error.message : String(error) });
        });
      },
      onRejected: (_error, reason) => {
        this.metrics.artifactLoads.inc({ result: 'rejected' });
        this.metrics.artifactsRejected.inc({ reason });
      },
    });
    const reloader = this.reloader;
    const sink = auditSink({
      ...(this.audit ? { log: this.audit } : {}),
      metrics: this.metrics,
      catalog: () => reloader.artifacts?.audit,
      logger: options.logger,
      observe: (record, catalog) => this.activity.observe(record, catalog),
      completeEntry: (entry) => {
        const artifacts = reloader.artifacts;
        recordLoggedSessionActivity(this.subjectCounters, loggedFilterMetadata(entry));
        return withRbacDecision(entry, artifacts?.engine, artifacts ? { catalog: artifacts.audit, version: artifacts.version } : undefined);
      },
    });
    // Envoy health-checks each replica on both ports (the bootstrap's ADS cluster, the control-plane cluster).
    const health = healthImplementation(() => this.warm && reloader.artifacts !== undefined && !this.stopping);
    this.authz.addService(HEALTH_SERVICE, health);
    this.xds.addService(HEALTH_SERVICE, health);
    const pins = new PinEnforcer(
      () => reloader.artifacts?.pins,
      (event) => {
        this.metrics.toolPinRefusals.inc({ where: event.where, server: event.server, reason: event.reason });
        options.logger.log('warn', 'tool refused: definition not pinned', { ...event, virtual_server: event.virtualServer });
      },
    );
    this.authz.addService(
      AUTHZ_SERVICE,
      authzImplementation({
        engine: () => reloader.artifacts?.engine,
        logger: options.logger,
        metrics: this.metrics,
        peers,
        ...(options.onDecision ? { onDecision: options.onDecision } : {}),
        annotate: async (input, policyDecision, callerToken) => {
          const artifacts = reloader.artifacts;
          // A session id must be the caller's own, and the server gets its own id back (session-binding/).
          const bound = refuseUnpinnedCall(input, bindSession(input, policyDecision), pins);
          // Then, for a server with an upstream identity, its token (or a fail-closed refusal).
          const decision = await applyUpstreamIdentity(artifacts?.identities, input, bound, callerToken, {
            cache: this.upstreamTokens,
            client: { timeoutMs: options.upstreamTokenTimeoutMs ?? DEFAULT_UPSTREAM_TOKEN_TIMEOUT_MS, now: () => Date.now() },
            onToken: (server, outcome, reason) => {
              this.metrics.upstreamTokens.inc({ server, outcome });
              if (outcome === 'failed') options.logger.log('warn', 'no upstream token; call refused', { server, reason });
            },
          });
          recordSessionActivity(this.subjectCounters, input, decision);
          try {
            return annotateDecision(input, decision, artifacts ? { catalog: artifacts.audit, version: artifacts.version } : undefined);
          } catch (error) {
            options.logger.log('error', 'cannot add the audit fields to a decision', { error: error instanceof Error ? error.message : String(error) });
            return decision;
          }
        },
      }),
    );
    this.authz.addService(
      RESPONSE_REWRITE_SERVICE,
      dispatchExtProc(
        {
          responseRewrite: responseRewriteImplementation({ engine: () => reloader.artifacts?.engine, logger: options.logger, pins }),
          sessionBinding: sessionBindingProcess({ signer: () => sessions, logger: options.logger, counters: this.subjectCounters }),
          guardrails: guardrailProcess({
            engine: () => (reloader.artifacts ? guardrailEngineOf(reloader.artifacts.guardrails) : undefined),
            logger: options.logger,
          }),
          results: resultRecordingProcess(),
        },
        { logger: options.logger, peers },
      ),
    );
    this.authz.addService(
      ACCESS_LOG_SERVICE,
      accessLogImplementation({
        logger: options.logger,
        metrics: this.metrics,
        peers,
        fleetLogNames: (fleet) => this.cache.get(fleet)?.accessLogNames,
        onEntries: (entries) => {
          void sink(entries);
          options.onAccessLog?.(entries);
        },
      }),
    );
    await reloader.start();
    this.warmUp(reloader.artifacts?.engine);
    // Open the gateways' audit streams before serving, so their files exist from the start.
    if (this.audit && reloader.artifacts) await this.audit.configure(Object.keys(reloader.artifacts.audit.gateways));
    this.xds.addService(
      ADS_SERVICE,
      adsImplementation({ cache: this.cache, nodes: this.nodes, logger: options.logger, metrics: this.metrics, identifier: 'gatehouse', peers }),
    );
    const xdsPort = await bind(this.xds, options.host, options.xdsPort, credentials);
    transport.start();
    const access = adminAccess(options.host, options.adminToken);
    if (!access.loopback && access.token === undefined) {
      options.logger.log('warn', 'admin /status and /metrics are closed: the listener is not on loopback and no admin token was given');
    }
    const registryMode = options.registryApi ?? 'admin';
    const registry = registryMode === 'off' ? undefined : registryApi({
      mode: registryMode, access, source: () => reloader.artifacts, ...(options.registryNamespace ? { naming: { namespace: options.registryNamespace } } : {}),
    });
    this.admin = createAdminServer({
      ready: () => reloader.artifacts !== undefined, status: () => this.status(), metrics: this.metrics, access, ...(registry ? { registryApi: registry } : {}),
      catalog: () => this.catalogPage(),
    });
    this.admin.listen(options.adminPort, options.host);
    await once(this.admin, 'listening');
    const address = this.admin.address();
    const adminPort = typeof address === 'object' && address ? address.port : options.adminPort;
    this.ports = { xds: xdsPort, authz: authzPort, admin: adminPort };
    // The pid: SIGHUP reloads, and it must reach this process itself (npm and npx do not forward SIGHUP).
    options.logger.log('info', 'control plane listening', {
      host: options.host, xds: xdsPort, authz: authzPort, admin: adminPort, transport: peers.mode, pid: process.pid,
    });
    return this.ports;
  }

  private warmUp(engine: PolicyEngine | undefined): void {
    if (!engine) return;
    try {
      warmUpChecks(engine);
    } catch (error) {
      this.options.logger.log('warn', 'the warm-up Check failed; serving anyway', { error: error instanceof Error ? error.message : String(error) });
    }
    this.warm = true;
  }

  private async loadSessionKey(): Promise<Buffer> {
    const { sessionKeyFile, logger } = this.options;
    if (!sessionKeyFile) {
      logger.log('warn', 'no session key file: MCP sessions are bound with a key of this process only and end when it restarts');
      return randomBytes(32);
    }
    const { key, created } = await loadOrCreateSessionKey(sessionKeyFile);
    if (created) logger.log('info', 'created the session key; give every control-plane replica the same file', { path: sessionKeyFile });
    return key;
  }

  status() {
    const artifacts = this.reloader?.artifacts;
    return {
      artifacts: this.reloader?.status() ?? {},
      // How Envoy reaches this control plane (`mtls` or `plaintext`): `gatehouse preflight --live` reads it.
      ...(this.transport ? { transport: this.transport.peers.mode } : {}),
      fleets: Object.fromEntries(
        [...(artifacts?.snapshots.values() ?? [])].map((snapshot) => [
          snapshot.fleet,
          Object.fromEntries(Object.entries(snapshot.types).map(([type, t]) => [type, { version: t.version, resources: t.resources.size }])),
        ]),
      ),
      nodes: this.nodes.all(),
      subjectLimits: this.subjectCounters.counts(),
      ...(this.audit ? { audit: { dir: this.audit.dir, streams: this.audit.heads() } } : {}),
    };
  }

  /** The catalog page (catalog/): the artifact set served now and the recent activity. */
  catalogPage(): Promise<string> {
    const artifacts = this.reloader?.artifacts;
    const loadedAt = this.reloader?.status().loaded?.loadedAt;
    const input = { ...(artifacts ? { artifacts } : {}), ...(loadedAt ? { loadedAt } : {}), activity: this.activity.snapshot(), now: new Date() };
    return catalogPage(input, this.accessEvaluator);
  }

  /** Reloads now instead of waiting for the next poll (tests, SIGHUP). */
  async reload(): Promise<void> {
    await this.reloader?.check();
  }

  /**
   * A reload asked for by an operator (SIGHUP): logs the request and its outcome, so the operator sees it
   * took effect. A new set is logged by the reloader ("artifacts loaded" or "rejected"); an unchanged one here.
   */
  async reloadRequested(by: string): Promise<void> {
    const { logger } = this.options;
    logger.log('info', 'reload requested', { by });
    const before = this.reloader?.status();
    await this.reload();
    const after = this.reloader?.status();
    const changed = after?.loaded?.loadedAt !== before?.loaded?.loadedAt || after?.rejected?.at !== before?.rejected?.at;
    if (!changed) {
      logger.log('info', 'reload: the artifacts did not change', {
        ...(after?.loaded ? { serving: after.loaded.version } : {}),
        ...(after?.rejected ? { rejected: after.rejected.version ?? after.rejected.reason } : {}),
      });
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.reloader?.stop();
    this.transport?.stop();
    // ADS streams never end by themselves: cut them (Envoy keeps its config and reconnects); let
    // in-flight ext_authz checks finish.
    this.xds.forceShutdown();
    await shutdown(this.authz);
    // Envoy's access-log streams are cut now; whatever they delivered is written and synced.
    await this.audit?.close();
    const admin = this.admin;
    if (admin) {
      admin.closeAllConnections();
      await new Promise<void>((resolve) => admin.close(() => resolve()));
    }
  }
}

/** HA: the nth replica in the sorted list loads a new artifact set n × 1.5 s after the first (ArtifactReloader's staggerMs). */
function reloadStagger(replicas: ControlPlaneOptions['replicas'], self: { host: string; port: number }): number {
  const key = (a: { host: string; port: number }) => `${a.host}:${String(a.port).padStart(5, '0')}`;
  const index = (replicas ?? []).map(key).sort().indexOf(key(self));
  return Math.max(index, 0) * 1500;
}

function bind(server: Server, host: string, port: number, credentials: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, credentials, (error, bound) => (error ? reject(error) : resolve(bound)));
  });
}

function shutdown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, 2000);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
