import { describe, expect, it } from 'vitest';
import { LIMITED_CODE } from '../../../artifacts/src/subject-limits.ts';
import { limitKind } from './limit-kind.ts';
import { limitRefusal } from './limit-refusal.ts';

type Immediate = { immediateResponse: { status: { code: string }; body: string; details: string } };

describe('a refusal over a session or stream limit', () => {
  it('is a 429 whose body is a JSON-RPC error with the request id and the limit, and whose details name the limit', () => {
    const { immediateResponse } = limitRefusal('streams', 2, 7) as Immediate;
    expect(immediateResponse.status.code).toBe('TooManyRequests');
    const body = JSON.parse(Buffer.from(immediateResponse.body, 'base64').toString('utf8')) as Record<string, unknown>;
    expect(body).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: LIMITED_CODE, data: { limit: 'streams' } } });
    expect(JSON.stringify(body)).toContain('2 GET event streams');
    // The access log's details name the kind, which the metrics count.
    expect(limitKind({ http: { method: 'GET', path: '/mcp/x', status: 429, details: immediateResponse.details } })).toBe('streams');
  });

  it('a GET has no JSON-RPC id: null', () => {
    const { immediateResponse } = limitRefusal('sessions', 1, undefined) as Immediate;
    expect(JSON.parse(Buffer.from(immediateResponse.body, 'base64').toString('utf8'))).toMatchObject({ id: null, error: { data: { limit: 'sessions' } } });
  });
});

describe('the kind of limit of an access-log record', () => {
  it('knows Envoy\'s calls/s refusals, and only 429s', () => {
    expect(limitKind({ http: { method: 'POST', path: '/mcp/x', status: 429, details: 'local_rate_limited' } })).toBe('calls-per-second');
    expect(limitKind({ http: { method: 'POST', path: '/mcp/x', status: 503, details: 'local_rate_limited' } })).toBeUndefined();
    expect(limitKind({ http: { method: 'POST', path: '/mcp/x', status: 429, details: 'via_upstream' } })).toBeUndefined();
  });
});
