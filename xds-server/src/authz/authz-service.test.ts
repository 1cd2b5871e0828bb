import { create, fromBinary, fromJson, toBinary, toJson } from '@bufbuild/protobuf';
import { Client, credentials, Server, ServerCredentials } from '@grpc/grpc-js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { envoyMessage, envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { compileExample } from '../../../testkit/compiled-example.ts';
import { PolicyEngine } from '../../../artifacts/src/policy/engine.ts';
import { createMetrics } from '../admin/metrics.ts';
import { memoryLogger } from '../log.ts';
import { schemas } from '../proto/messages.ts';
import { AUTHZ_SERVICE, authzImplementation, decide } from './authz-service.ts';
import { checkResponseJson } from './decision.ts';

let engine: PolicyEngine;
beforeAll(async () => {
  const result = await compileExample('authz-test');
  if (!result.bundle) throw new Error('the example did not compile to a bundle');
  engine = await PolicyEngine.load(result.bundle);
});

const claims = { iss: 'http://127.0.0.1:7100', sub: 'sam', groups: ['support-agents'] };
const attributes = (name: string) => ({
  request: {
    http: {
      method: 'POST',
      path: '/mcp/helpdesk',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name, arguments: {} } }),
    },
  },
  contextExtensions: { virtual_server: 'helpdesk' },
  metadataContext: {
    filterMetadata: { 'envoy.filters.http.mcp': { method: 'tools/call', id: 4, params: { name } }, 'envoy.filters.http.jwt_authn': { jwt_payload: claims } },
  },
});

describe('decide', () => {
  it('allows a granted call and denies another with the policy status and JSON-RPC body', () => {
    const logger = memoryLogger();
    expect(decide(engine, attributes('tickets__get_ticket'), logger)).toMatchObject({ outcome: 'allow', decision: { allowed: true } });
    const denied = decide(engine, attributes('tickets__delete_ticket'), logger);
    expect(denied).toMatchObject({ outcome: 'deny', decision: { allowed: false, http_status: 403 } });
    expect(JSON.parse(denied.decision.body ?? '')).toMatchObject({ jsonrpc: '2.0', id: 4, error: { code: -32003 } });
  });

  it('fails closed without a policy (503), on a malformed request (400) and on an evaluation error (500)', () => {
    const logger = memoryLogger();
    expect(decide(undefined, attributes('tickets__get_ticket'), logger)).toMatchObject({ outcome: 'error', decision: { allowed: false, http_status: 503 } });
    const mismatch = attributes('tickets__get_ticket');
    (mismatch.metadataContext.filterMetadata['envoy.filters.http.mcp'] as Record<string, unknown>).method = 'ping';
    expect(decide(engine, mismatch, logger)).toMatchObject({ outcome: 'deny', decision: { allowed: false, http_status: 400 } });
    const broken = { evaluate: () => { throw new Error('opa_abort: out of memory'); } } as unknown as PolicyEngine;
    const failed = decide(broken, attributes('tickets__get_ticket'), logger);
    expect(failed).toMatchObject({ outcome: 'error', decision: { allowed: false, http_status: 500 } });
    expect(JSON.parse(failed.decision.body ?? '')).toMatchObject({ id: 4, error: { code: -32603 } });
    expect(logger.lines.join('\n')).toContain('out of memory');
  });

  it('treats a decision without a boolean "allowed" as an error, never as an allow', () => {
    const odd = { evaluate: () => ({ allowed: 'yes' }) } as unknown as PolicyEngine;
    expect(decide(odd, attributes('tickets__get_ticket'), memoryLogger())).toMatchObject({ outcome: 'error', decision: { allowed: false } });
  });
});

describe('the Check service over gRPC', () => {
  const stops: (() => void)[] = [];
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
  });

  /** A Check server whose policy always decides `decision` and records its evaluations. */
  async function startCheck(decision: Record<string, unknown> = { allowed: true }) {
    const logger = memoryLogger();
    const metrics = createMetrics();
    const evaluations: unknown[] = [];
    const evaluate = (_entrypoint: string, input: unknown) => {
      evaluations.push(input);
      return decision;
    };
    const allowAll = { evaluate } as unknown as PolicyEngine;
    const server = new Server();
    server.addService(AUTHZ_SERVICE, authzImplementation({ engine: () => allowAll, logger, metrics }));
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
    });
    const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
    stops.push(() => client.close(), () => server.forceShutdown());
    const check = async (bytes: Uint8Array) => {
      const response = await new Promise<Buffer>((resolve, reject) => {
        const identity = (b: Buffer) => b;
        client.makeUnaryRequest(AUTHZ_SERVICE.Check!.path, identity, identity, Buffer.from(bytes), (error, value) => {
          if (error) reject(error);
          else resolve(value ?? Buffer.alloc(0));
        });
      });
      return toJson(schemas.checkResponse(), fromBinary(schemas.checkResponse(), response), { registry: envoyRegistry() }) as {
        status?: { code?: number };
        deniedResponse?: { status?: { code?: string }; body?: string };
      };
    };
    // The counters start at zero for every outcome; the ones that moved.
    const outcomes = async () => (await metrics.decisions.get()).values.filter((v) => v.value > 0).map((v) => `${v.labels.outcome ?? ''}=${v.value}`);
    return { check, evaluations, logger, outcomes };
  }

  const requestBytes = (json: Record<string, unknown>) =>
    toBinary(schemas.checkRequest(), fromJson(schemas.checkRequest(), json as never, { registry: envoyRegistry() }));

  it('evaluates the policy on a CheckRequest it can read', async () => {
    const service = await startCheck();
    const response = await service.check(requestBytes({ attributes: attributes('tickets__get_ticket') }));
    expect(response.status?.code ?? 0).toBe(0);
    expect(service.evaluations).toHaveLength(1);
    expect(await service.outcomes()).toEqual(['allow=1']);
  });

  it('denies a CheckRequest it cannot decode without evaluating the policy, and counts and logs it as an error', async () => {
    const service = await startCheck();
    // A length-delimited field (attributes) that claims more bytes than follow.
    const truncated = requestBytes({ attributes: attributes('tickets__get_ticket') }).subarray(0, 40);
    const response = await service.check(truncated);
    expect(response.status?.code).toBe(7); // PERMISSION_DENIED
    expect(response.deniedResponse?.status?.code).toBe('InternalServerError');
    const body: unknown = JSON.parse(response.deniedResponse?.body ?? '');
    expect(body).toMatchObject({ error: { code: -32603, message: 'internal error: the authorization request could not be read' } });
    expect(service.evaluations).toEqual([]);
    expect(await service.outcomes()).toEqual(['error=1']);
    expect(service.logger.lines.join('\n')).toMatch(/ error +cannot read CheckRequest; request denied error=.+/);
  });

  it('denies with a control-plane error a decision it cannot send to Envoy', async () => {
    const service = await startCheck({ allowed: false, http_status: 403, body: { message: 'not a string' } });
    const response = await service.check(requestBytes({ attributes: attributes('tickets__get_ticket') }));
    expect(response.status?.code).toBe(7);
    expect(response.deniedResponse?.status?.code).toBe('InternalServerError');
    expect(response.deniedResponse?.body).toContain('internal error: the decision could not be sent to the gateway');
    expect(await service.outcomes()).toEqual(['error=1']);
    expect(service.logger.lines.join('\n')).toContain('cannot encode the decision; request denied error="body is not a string"');
  });

  it('denies a CheckRequest without attributes without evaluating the policy on {}', async () => {
    const service = await startCheck();
    const response = await service.check(toBinary(schemas.checkRequest(), create(schemas.checkRequest())));
    expect(response.status?.code).toBe(7);
    expect(service.evaluations).toEqual([]);
    expect(await service.outcomes()).toEqual(['error=1']);
  });
});

describe('checkResponseJson', () => {
  const schema = envoyMessage('envoy.service.auth.v3.CheckResponse');
  const encode = (json: Record<string, unknown>) => toBinary(schema, fromJson(schema, json as never, { registry: envoyRegistry() }));

  it('encodes a denial with status, headers, body and metadata for Envoy', () => {
    const json = checkResponseJson({
      allowed: false,
      http_status: 403,
      headers: { 'content-type': 'application/json' },
      body: '{"x":1}',
      dynamic_metadata: { decision: 'deny', teams: ['a'] },
    });
    expect(json).toMatchObject({ status: { code: 7 }, deniedResponse: { status: { code: 403 }, body: '{"x":1}' }, dynamicMetadata: { decision: 'deny' } });
    expect(encode(json).length).toBeGreaterThan(20);
  });

  it('encodes an allow as gRPC OK', () => {
    const json = checkResponseJson({ allowed: true, headers: {}, dynamic_metadata: { decision: 'allow' } });
    expect(json).toMatchObject({ status: { code: 0 }, okResponse: { headers: [] } });
    expect(() => encode(json)).not.toThrow();
  });
});
