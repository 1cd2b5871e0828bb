import { fromJson, toBinary } from '@bufbuild/protobuf';
import { beforeAll, describe, expect, it } from 'vitest';
import { envoyMessage, envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { compileExample } from '../../../testkit/compiled-example.ts';
import { PolicyEngine } from '../../../artifacts/src/policy/engine.ts';
import { memoryLogger } from '../log.ts';
import { decide } from './authz-service.ts';
import { checkResponseJson } from './decision.ts';

let engine: PolicyEngine;
beforeAll(async () => {
  const result = await compileExample('authz-test');
  engine = await PolicyEngine.load(result.bundle!);
});

const claims = { iss: 'http://127.0.0.1:7100', sub: 'sam', groups: ['support-agents'] };
const attributes = (name: string) => ({
  request: { http: { method: 'POST', path: '/mcp/helpdesk', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name, arguments: {} } }) } },
  contextExtensions: { virtual_server: 'helpdesk' },
  metadataContext: { filterMetadata: { 'envoy.filters.http.mcp': { method: 'tools/call', id: 4, params: { name } }, 'envoy.filters.http.jwt_authn': { jwt_payload: claims } } },
});

describe('decide', () => {
  it('allows a granted call and denies another with the policy status and JSON-RPC body', () => {
    const logger = memoryLogger();
    expect(decide(engine, attributes('tickets__get_ticket'), logger)).toMatchObject({ outcome: 'allow', decision: { allowed: true } });
    const denied = decide(engine, attributes('tickets__delete_ticket'), logger);
    expect(denied).toMatchObject({ outcome: 'deny', decision: { allowed: false, http_status: 403 } });
    expect(JSON.parse(denied.decision.body!)).toMatchObject({ jsonrpc: '2.0', id: 4, error: { code: -32003 } });
  });

  it('fails closed without a policy (503), on a malformed request (400) and on an evaluation error (500)', () => {
    const logger = memoryLogger();
    expect(decide(undefined, attributes('tickets__get_ticket'), logger)).toMatchObject({ outcome: 'error', decision: { allowed: false, http_status: 503 } });
    const mismatch = attributes('tickets__get_ticket');
    (mismatch.metadataContext.filterMetadata['envoy.filters.http.mcp'] as Record<string, unknown>).method = 'ping';
    expect(decide(engine, mismatch, logger)).toMatchObject({ outcome: 'deny', decision: { allowed: false, http_status: 400 } });
    const broken = { evaluate: () => { throw 'opa_abort: out of memory'; } } as unknown as PolicyEngine;
    const failed = decide(broken, attributes('tickets__get_ticket'), logger);
    expect(failed).toMatchObject({ outcome: 'error', decision: { allowed: false, http_status: 500 } });
    expect(JSON.parse(failed.decision.body!)).toMatchObject({ id: 4, error: { code: -32603 } });
    expect(logger.lines.join('\n')).toContain('out of memory');
  });

  it('treats a decision without a boolean "allowed" as an error, never as an allow', () => {
    const odd = { evaluate: () => ({ allowed: 'yes' }) } as unknown as PolicyEngine;
    expect(decide(odd, attributes('tickets__get_ticket'), memoryLogger())).toMatchObject({ outcome: 'error', decision: { allowed: false } });
  });
});

describe('checkResponseJson', () => {
  const schema = envoyMessage('envoy.service.auth.v3.CheckResponse');
  const encode = (json: Record<string, unknown>) => toBinary(schema, fromJson(schema, json as never, { registry: envoyRegistry() }));

  it('encodes a denial with status, headers, body and metadata for Envoy', () => {
    const json = checkResponseJson({ allowed: false, http_status: 403, headers: { 'content-type': 'application/json' }, body: '{"x":1}', dynamic_metadata: { decision: 'deny', teams: ['a'] } });
    expect(json).toMatchObject({ status: { code: 7 }, deniedResponse: { status: { code: 403 }, body: '{"x":1}' }, dynamicMetadata: { decision: 'deny' } });
    expect(encode(json).length).toBeGreaterThan(20);
  });

  it('encodes an allow as gRPC OK', () => {
    const json = checkResponseJson({ allowed: true, headers: {}, dynamic_metadata: { decision: 'allow' } });
    expect(json).toMatchObject({ status: { code: 0 }, okResponse: { headers: [] } });
    expect(() => encode(json)).not.toThrow();
  });
});

