// Mutual TLS on the real control plane, over real gRPC with real certificates: who gets served,
// who is refused, and rotation of the control plane's own certificate without a restart.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { fromBinary, fromJson, toBinary } from '@bufbuild/protobuf';
import { Client, credentials, Metadata, status as GrpcStatus, type ChannelCredentials, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envoyMessage, envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { CONTROL_PLANE_CLUSTER } from '../../../artifacts/src/metadata-names.ts';
import { RESOURCE_TYPE_URL } from '../../../artifacts/src/type-urls.ts';
import { compileExample } from '../../../testkit/compiled-example.ts';
import type { AccessLogEntry } from '../accesslog/access-log-service.ts';
import { ControlPlane, type ListeningPorts } from '../control-plane.ts';
import { memoryLogger } from '../log.ts';
import type { DiscoveryResponse } from '../proto/messages.ts';
import { createDevCa, loadDevCa, type DevCa, type IssuedPem } from './dev-ca.ts';

const TRUST_DOMAIN = 'gatehouse.test';
const SECRETS = { GATEHOUSE_SECRET_TICKETS_API_TOKEN: 'Bearer t0k3n', GATEHOUSE_SECRET_PAYMENTS_API_KEY: 'k3y' };

let dir: string;
let cp: ControlPlane;
let ports: ListeningPorts;
let caPem: string;
let devCa: DevCa;
let controlPlaneCert: IssuedPem;
const pki: Record<'node' | 'otherFleet' | 'otherCa' | 'otherTrustDomain', IssuedPem> = {} as never;
const logger = memoryLogger();
const accessLogs: AccessLogEntry[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-mtls-'));
  const compiled = await compileExample('mtls', join(dir, 'dist'));
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const ca = await createDevCa(TRUST_DOMAIN);
  devCa = ca;
  caPem = ca.cert;
  controlPlaneCert = await ca.issueControlPlane();
  pki.node = await ca.issueNode('default', 'node-1');
  pki.otherFleet = await ca.issueNode('other', 'node-2');
  pki.otherCa = await (await createDevCa(TRUST_DOMAIN)).issueNode('default', 'node-1');
  // Signed by the trusted CA, but for another trust domain: a valid certificate that names no node of ours.
  pki.otherTrustDomain = await (await loadDevCa('elsewhere.test', ca)).issueNode('default', 'node-1');
  writeFileSync(join(dir, 'ca.pem'), caPem);
  writeFileSync(join(dir, 'cp.pem'), controlPlaneCert.cert);
  writeFileSync(join(dir, 'cp-key.pem'), controlPlaneCert.key);
  cp = new ControlPlane({
    artifactsDir: join(dir, 'dist'),
    host: '127.0.0.1',
    xdsPort: 0,
    authzPort: 0,
    adminPort: 0,
    advertiseHost: '127.0.0.1',
    env: SECRETS,
    logger,
    pollIntervalMs: 60_000,
    onAccessLog: (entries) => accessLogs.push(...entries),
    tls: { trustDomain: TRUST_DOMAIN, caFile: join(dir, 'ca.pem'), certFile: join(dir, 'cp.pem'), keyFile: join(dir, 'cp-key.pem'), reloadIntervalMs: 100 },
  });
  ports = await cp.start();
}, 60_000);

afterAll(async () => {
  await cp.stop();
  rmSync(dir, { recursive: true, force: true });
});

const tlsAs = (who?: IssuedPem): ChannelCredentials =>
  who ? credentials.createSsl(Buffer.from(caPem), Buffer.from(who.key), Buffer.from(who.cert)) : credentials.createSsl(Buffer.from(caPem));

const bytes = (b: Buffer) => b;
const json = (type: string, value: Record<string, unknown>) => {
  const schema = envoyMessage(type);
  return Buffer.from(toBinary(schema, fromJson(schema, value as never, { registry: envoyRegistry() })));
};
type AdsResult = { response?: DiscoveryResponse; status?: StatusObject };

/** One ADS exchange: sends a CDS request as `node`, resolves with the first response or the stream's error status. */
function askForClusters(port: number, channel: ChannelCredentials, node: { id: string; cluster: string }): Promise<AdsResult> {
  const client = new Client(`127.0.0.1:${port}`, channel);
  const call = client.makeBidiStreamRequest('/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources', bytes, bytes);
  return new Promise((resolve) => {
    const done = (result: AdsResult) => {
      call.cancel();
      client.close();
      resolve(result);
    };
    call.on('data', (data: Buffer) => {
      done({ response: fromBinary(envoyMessage('envoy.service.discovery.v3.DiscoveryResponse'), data) as unknown as DiscoveryResponse });
    });
    call.on('status', (status: StatusObject) => done({ status }));
    call.on('error', () => undefined);
    call.write(json('envoy.service.discovery.v3.DiscoveryRequest', { node, type_url: RESOURCE_TYPE_URL.clusters }));
  });
}

function check(port: number, channel: ChannelCredentials): Promise<{ error?: ServiceError; response?: Buffer }> {
  const client = new Client(`127.0.0.1:${port}`, channel);
  // A forged request: claims that no jwt_authn ever verified.
  const request = json('envoy.service.auth.v3.CheckRequest', {
    attributes: {
      request: {
        http: {
          method: 'POST',
          path: '/mcp/helpdesk',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        },
      },
      context_extensions: { virtual_server: 'helpdesk' },
      metadata_context: {
        filter_metadata: {
          'envoy.filters.http.mcp': { method: 'tools/list', id: 1 },
          'envoy.filters.http.jwt_authn': { jwt_payload: { sub: 'mallory', groups: ['support-agents'] } },
        },
      },
    },
  });
  return new Promise((resolve) => {
    const options = { deadline: Date.now() + 5_000 };
    client.makeUnaryRequest('/envoy.service.auth.v3.Authorization/Check', bytes, bytes, request, new Metadata(), options, (error, response) => {
      client.close();
      resolve({ ...(error ? { error } : {}), ...(response ? { response } : {}) });
    });
  });
}

function writeAccessLog(port: number, channel: ChannelCredentials, nodeId: string, logName: string, requestId: string): Promise<ServiceError | null> {
  const client = new Client(`127.0.0.1:${port}`, channel);
  return new Promise((resolve) => {
    const call = client.makeClientStreamRequest('/envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs', bytes, bytes, (error) => {
      client.close();
      resolve(error);
    });
    call.write(
      json('envoy.service.accesslog.v3.StreamAccessLogsMessage', {
        identifier: { node: { id: nodeId }, log_name: logName },
        http_logs: {
          log_entry: [
            {
              common_properties: { start_time: '2026-01-01T00:00:00Z' },
              request: { request_id: requestId, path: '/mcp/helpdesk' },
              response: { response_code: 200 },
            },
          ],
        },
      }),
    );
    call.end();
  });
}

describe('mutual TLS on the control plane', () => {
  it('serves a node its own fleet, with no control-plane cluster over CDS (Envoy has it in its bootstrap)', async () => {
    const { response, status } = await askForClusters(ports.xds, tlsAs(pki.node), { id: 'node-1', cluster: 'default' });
    expect(status).toBeUndefined();
    expect(response?.resources.length).toBeGreaterThan(0);
    const cluster = envoyMessage('envoy.config.cluster.v3.Cluster');
    const clusterName = (r: { value: Uint8Array }) => (fromBinary(cluster, r.value) as unknown as { name: string }).name;
    const names = (response?.resources ?? []).map(clusterName);
    expect(names).not.toContain(CONTROL_PLANE_CLUSTER);
  });

  it('refuses a node without a certificate, with one from another CA, and a plaintext client', async () => {
    for (const channel of [tlsAs(), tlsAs(pki.otherCa), credentials.createInsecure()]) {
      const { response, status } = await askForClusters(ports.xds, channel, { id: 'node-1', cluster: 'default' });
      expect(response).toBeUndefined();
      expect(status?.code).toBe(GrpcStatus.UNAVAILABLE);
    }
  });

  it('refuses a node whose cluster or node id disagrees with its certificate', async () => {
    const otherFleet = await askForClusters(ports.xds, tlsAs(pki.otherFleet), { id: 'node-2', cluster: 'default' });
    expect(otherFleet).toMatchObject({ status: { code: GrpcStatus.PERMISSION_DENIED } });
    expect(otherFleet.status?.details).toContain('cluster "default" is not the fleet');
    const otherNode = await askForClusters(ports.xds, tlsAs(pki.node), { id: 'node-9', cluster: 'default' });
    expect(otherNode).toMatchObject({ status: { code: GrpcStatus.PERMISSION_DENIED } });
    expect(logger.lines.some((l) => l.includes('ADS stream refused'))).toBe(true);
  });

  it('answers Check only for an authenticated Envoy node', async () => {
    expect((await check(ports.authz, tlsAs(pki.node))).response).toBeDefined();
    const rogue = await check(ports.authz, tlsAs(pki.otherTrustDomain));
    expect(rogue.error?.code).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(rogue.error?.details).toContain('is not of trust domain gatehouse.test');
    // The control plane's own certificate is no client certificate (serverAuth only): refused in the handshake.
    expect((await check(ports.authz, tlsAs(controlPlaneCert))).error?.code).toBe(GrpcStatus.UNAVAILABLE);
    expect((await check(ports.authz, tlsAs(pki.otherCa))).error?.code).toBe(GrpcStatus.UNAVAILABLE);
    expect((await check(ports.authz, credentials.createInsecure())).error?.code).toBe(GrpcStatus.UNAVAILABLE);
  });

  it('takes access-log entries only as the certified node, for a gateway of its fleet', async () => {
    const code = async (who: IssuedPem, node: string, logName: string, id: string) => (await writeAccessLog(ports.authz, tlsAs(who), node, logName, id))?.code;
    expect(await writeAccessLog(ports.authz, tlsAs(pki.node), 'node-1', 'gatehouse/local', 'ok-1')).toBeNull();
    expect(await code(pki.otherFleet, 'node-2', 'gatehouse/local', 'forged-1')).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(await code(pki.node, 'node-7', 'gatehouse/local', 'forged-2')).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(await code(pki.node, 'node-1', 'gatehouse/elsewhere', 'forged-3')).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(await code(pki.otherTrustDomain, 'node-1', 'gatehouse/local', 'forged-4')).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(await code(pki.otherCa, 'node-1', 'gatehouse/local', 'forged-5')).toBe(GrpcStatus.UNAVAILABLE);
    const written = accessLogs.map((e) => [e.node, e.logName, (e.entry.request as { requestId?: string } | undefined)?.requestId]);
    expect(written).toEqual([['node-1', 'gatehouse/local', 'ok-1']]);
  });

  it('refuses an ext_proc stream from a caller that is not a node, whichever processor it names', async () => {
    // One check in the dispatcher covers every processor (the rewriter, session binding, guardrails, the result recorder).
    for (const processor of [undefined, 'session-binding', 'guardrails', 'results']) {
      const client = new Client(`127.0.0.1:${ports.authz}`, tlsAs(pki.otherTrustDomain));
      const metadata = new Metadata();
      if (processor) metadata.set('x-gatehouse-processor', processor);
      const call = client.makeBidiStreamRequest('/envoy.service.ext_proc.v3.ExternalProcessor/Process', bytes, bytes, metadata);
      call.on('error', () => undefined);
      const status = await new Promise<StatusObject>((resolve) => call.on('status', resolve));
      client.close();
      expect(status.code, processor ?? 'response rewrite').toBe(GrpcStatus.PERMISSION_DENIED);
    }
  });

  it('picks up a rotated certificate without a restart', async () => {
    const serialNow = () =>
      new Promise<string>((resolve, reject) => {
        const options = { host: '127.0.0.1', port: ports.authz, ca: caPem, ...pki.node, ALPNProtocols: ['h2'], servername: 'localhost' };
        const socket = connect(options, () => {
          resolve(socket.getPeerCertificate().serialNumber);
          socket.end();
        });
        socket.on('error', reject);
      });
    const before = await serialNow();
    const next = await devCa.issueControlPlane();
    // Rotate the way cert-manager and SPIRE do: write aside, then rename over (key first, then cert).
    writeFileSync(join(dir, 'cp-key.pem.new'), next.key);
    writeFileSync(join(dir, 'cp.pem.new'), next.cert);
    renameSync(join(dir, 'cp-key.pem.new'), join(dir, 'cp-key.pem'));
    renameSync(join(dir, 'cp.pem.new'), join(dir, 'cp.pem'));
    const deadline = Date.now() + 5_000;
    let after = before;
    while (after === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      after = await serialNow();
    }
    expect(after).not.toBe(before);
    expect((await check(ports.authz, tlsAs(pki.node))).response).toBeDefined();
    // The new context still demands a client certificate from the CA.
    expect((await check(ports.authz, tlsAs())).error?.code).toBe(GrpcStatus.UNAVAILABLE);
    expect((await check(ports.authz, tlsAs(pki.otherCa))).error?.code).toBe(GrpcStatus.UNAVAILABLE);
  });
});
