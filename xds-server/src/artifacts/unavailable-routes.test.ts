import { describe, expect, it } from 'vitest';
import type { RouteConfigurationJson } from '../../../artifacts/src/fleet-resources.ts';
import { missingSecretMessage } from './missing-secret-message.ts';
import { answerForClosedClusters } from './unavailable-routes.ts';

const routes: RouteConfigurationJson[] = [{
  name: 'gateway',
  virtual_hosts: [{
    name: 'local',
    domains: ['*'],
    routes: [
      { name: 'pay', match: { path: '/mcp/pay' }, route: { cluster: 'mcp-server-payments' }, response_headers_to_remove: ['mcp-session-id'] },
      { name: 'docs', match: { path: '/mcp/docs' }, route: { cluster: 'mcp-server-docs' } },
    ],
  }],
}];

describe('routes to a server that fails closed', () => {
  it('answer 503 naming the server (the secret never), keep everything else; other routes are untouched', () => {
    const [config] = answerForClosedClusters(routes, new Set(['mcp-server-payments']));
    const [pay, docs] = config!.virtual_hosts![0]!.routes!;
    expect(pay).toEqual({
      name: 'pay',
      match: { path: '/mcp/pay' },
      response_headers_to_remove: ['mcp-session-id'],
      direct_response: { status: 503, body: { inline_string: expect.stringMatching(/^MCP server "payments" is unavailable/) as unknown } },
    });
    expect(docs).toEqual(routes[0]!.virtual_hosts![0]!.routes![1]);
  });
});

describe('the log line of a missing secret', () => {
  it('says what the secret is for', () => {
    expect(missingSecretMessage({ secretRef: 'pay-key', cluster: 'mcp-server-payments' })).toMatch(/^upstream credential "pay-key" not found/);
    expect(missingSecretMessage({ secretRef: 'gw-cert', cluster: 'gateway-local-certificate', kind: 'tls-certificate' }))
      .toMatch(/^gateway TLS certificate "gw-cert" not found: the gateway's TLS listener/);
    expect(missingSecretMessage({ secretRef: 'ca', cluster: 'x', kind: 'trusted-ca' })).toMatch(/^gateway client CA "ca" not found/);
  });
});
