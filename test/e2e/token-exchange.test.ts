// Upstream identity on behalf of the caller (issue 18), end to end through the real Envoy with MCP SDK
// clients: two servers exchange each caller's token at the development identity provider (RFC 8693)
// and check it themselves (signature, issuer, audience), and a third gets the gateway's service token
// (client credentials). Two users of one team get per-user answers;
// a token exchanged for one server is refused by the other; a second call costs no exchange; a refused
// or impossible exchange fails closed with a JSON-RPC error and an audit record; the caller's own token
// never reaches a server; and no exchanged token is in the logs, metrics, audit log or artifacts.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, postMcp, startTestStack, type TestStack } from '../harness/stack.ts';
import { freePorts } from '../../testkit/ports.ts';
import { requestRecords } from '../../testkit/audit-fixtures.ts';
import { UPSTREAM_TOKEN_HEADER } from '../../artifacts/src/metadata-names.ts';

const server = (name: string, port: number, mode = 'token-exchange') => `apiVersion: gatehouse.dev/v1alpha1
kind: McpServer
metadata:
  name: ${name}
spec:
  description: Answers who is calling, from the token it verifies itself.
  upstream:
    url: http://127.0.0.1:${String(port)}/mcp
    identity:
      mode: ${mode}
      identityProvider: dev-idp
      clientId: gatehouse-upstream
      clientSecretRef: dev-idp-gateway-client
      audience: urn:gatehouse:${name}
  dataClassification: internal
  region: eu-west-1
  tools:
    - name: whoami
      description: Who this server sees as the caller.
      risk: low
`;
const virtualServer = (name: string) => `apiVersion: gatehouse.dev/v1alpha1
kind: VirtualServer
metadata:
  name: ${name}
spec:
  description: ${name} on its own endpoint.
  members:
    - server: ${name}
      tools: ["*"]
`;
const GRANT = `apiVersion: gatehouse.dev/v1alpha1
kind: Grant
metadata:
  name: support-whoami
spec:
  description: Support agents may ask both whoami servers who they are.
  subjects: [team:support]
  access:
    - server: whoami-a
      tools: [whoami]
    - server: whoami-b
      tools: [whoami]
    - server: whoami-svc
      tools: [whoami]
  capabilities: [call-tools]
`;

let stack: TestStack;
const callerTokens: string[] = [];

beforeAll(async () => {
  const [a, b, svc] = (await freePorts(3)) as [number, number, number];
  stack = await startTestStack({
    files: {
      'registry/mcp-servers/whoami-a.yaml': server('whoami-a', a),
      'registry/mcp-servers/whoami-b.yaml': server('whoami-b', b),
      'registry/virtual-servers/whoami-a.yaml': virtualServer('whoami-a'),
      'registry/virtual-servers/whoami-b.yaml': virtualServer('whoami-b'),
      'registry/mcp-servers/whoami-svc.yaml': server('whoami-svc', svc, 'client-credentials'),
      'registry/virtual-servers/whoami-svc.yaml': virtualServer('whoami-svc'),
      'registry/grants/support-whoami.yaml': GRANT,
    },
  });
}, 120_000);
afterAll(async () => (stack as TestStack | undefined)?.dispose());

async function token(sub: string): Promise<string> {
  const minted = (await stack.tokenFor('support', { sub }))!;
  callerTokens.push(minted);
  return minted;
}

async function whoami(vs: string, callerToken: string): Promise<{ subject?: string; audience?: string; actor?: string }> {
  const client = await stack.connect(vs, callerToken);
  try {
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    const [first] = result.content as { type: string; text: string }[];
    return JSON.parse(first?.text ?? '{}') as { subject?: string; audience?: string; actor?: string };
  } finally {
    await client.close();
  }
}

const exchangesFor = (subject: string, audience: string) =>
  stack.backends.exchanges.filter((e) => e.subject === subject && e.audience === audience).length;
const receivedAuthorizations = (name: string) =>
  stack.backends.servers.get(name)!.requests.map((r) => r.headers.authorization).filter((v): v is string => typeof v === 'string');

describe('token exchange on behalf of the caller', () => {
  it('gives two users of one team their own token: the server answers per user, with the gateway as actor', async () => {
    const alice = await token('alice');
    const bob = await token('bob');
    expect(await whoami('whoami-a', alice)).toEqual({ subject: 'alice', audience: 'urn:gatehouse:whoami-a', actor: 'gatehouse-upstream' });
    expect(await whoami('whoami-a', bob)).toEqual({ subject: 'bob', audience: 'urn:gatehouse:whoami-a', actor: 'gatehouse-upstream' });
    expect(await whoami('whoami-b', alice)).toEqual({ subject: 'alice', audience: 'urn:gatehouse:whoami-b', actor: 'gatehouse-upstream' });
  });

  it('gives a client-credentials server the gateway\'s one service token, whoever calls', async () => {
    const fetched = async () => (await stack.controlPlane.metrics.upstreamTokens.get()).values
      .find((v) => v.labels.server === 'whoami-svc' && v.labels.outcome === 'fetched')?.value ?? 0;
    const service = { subject: 'gatehouse-upstream', audience: 'urn:gatehouse:whoami-svc' };
    expect(await whoami('whoami-svc', callerTokens[0]!)).toMatchObject(service);
    expect(await whoami('whoami-svc', callerTokens[1]!)).toMatchObject(service);
    expect(await fetched()).toBe(1);
  });

  it('exchanges once per caller and server: the second session of a caller hits the cache', async () => {
    const alice = callerTokens[0]!;
    const before = exchangesFor('alice', 'urn:gatehouse:whoami-a');
    expect(before).toBe(1);
    const cached = async () =>
      (await stack.controlPlane.metrics.upstreamTokens.get()).values.find((v) => v.labels.server === 'whoami-a' && v.labels.outcome === 'cached')?.value ?? 0;
    const hitsBefore = await cached();
    expect(await whoami('whoami-a', alice)).toMatchObject({ subject: 'alice' });
    expect(exchangesFor('alice', 'urn:gatehouse:whoami-a')).toBe(1);
    // initialize, the initialized notification and tools/call: each from the cache.
    expect(await cached()).toBeGreaterThanOrEqual(hitsBefore + 2);
  });

  it('never forwards the caller\'s own token or the gateway\'s token header, and a token for one server is refused by the other', async () => {
    const seen = receivedAuthorizations('whoami-a');
    expect(seen.length).toBeGreaterThan(0);
    for (const value of seen) for (const caller of callerTokens) expect(value).not.toContain(caller);
    for (const name of ['whoami-a', 'whoami-b', 'whoami-svc', 'docs', 'tickets']) {
      for (const r of stack.backends.servers.get(name)?.requests ?? []) expect(r.headers[UPSTREAM_TOKEN_HEADER]).toBeUndefined();
    }
    // A token exchanged for whoami-a, presented to whoami-b directly: refused (wrong audience).
    const forA = seen.at(-1)!;
    const direct = await postMcp(stack.backends.servers.get('whoami-b')!.url, JSON.stringify({
      jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } },
    }), { authorization: forA });
    expect(direct.status).toBe(401);
    expect(direct.text).toMatch(/aud/);
  });

  it('ignores a client that sends the gateway\'s upstream-token header itself', async () => {
    const forged = 'Bearer forged-by-the-client';
    const client = (await token('carl'));
    const body = JSON.stringify({
      jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } },
    });
    const docs = stack.backends.servers.get('docs')!;
    const docsBefore = docs.requests.length;
    const toDocs = await postMcp(stack.endpoint('knowledge'), body, { authorization: `Bearer ${client}`, [UPSTREAM_TOKEN_HEADER]: forged });
    expect(toDocs.status).toBe(200);
    expect(docs.requests.slice(docsBefore).every((r) => r.headers.authorization === undefined && r.headers[UPSTREAM_TOKEN_HEADER] === undefined)).toBe(true);
    const whoamiA = stack.backends.servers.get('whoami-a')!;
    const before = whoamiA.requests.length;
    const toA = await postMcp(stack.endpoint('whoami-a'), body, { authorization: `Bearer ${client}`, [UPSTREAM_TOKEN_HEADER]: forged });
    expect(toA.status).toBe(200);
    expect(whoamiA.requests.slice(before).map((r) => r.headers.authorization)).not.toContain(forged);
  });
});

describe('a failed exchange fails closed', () => {
  it('when the identity provider refuses it: a JSON-RPC error naming the refusal, and an audit record with the reason', async () => {
    // whoami-b now asks for an audience the identity provider does not issue tokens for.
    const file = join(stack.root, 'registry', 'mcp-servers', 'whoami-b.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('audience: urn:gatehouse:whoami-b', 'audience: urn:gatehouse:elsewhere'));
    const compiled = await stack.recompile();
    expect(compiled.ok, compiled.report).toBe(true);
    const loaded = () => Promise.resolve((stack.controlPlane.status().artifacts as { loaded?: { version: string } }).loaded?.version === compiled.version);
    await eventually(loaded, 15_000, 'the new artifact set loads');
    const refused = await whoami('whoami-b', await token('dana')).then(() => 'no error', (error: unknown) => String(error));
    expect(refused).toContain('"code":-32010');
    expect(refused).toContain('upstream identity: the identity provider refused the token-exchange (400 invalid_target)');
    const audited = () => requestRecords(stack.auditDir).filter((r) => r.virtual_server === 'whoami-b' && r.subject.sub === 'dana');
    await eventually(() => Promise.resolve(audited().length > 0), 10_000, 'the refusal is audited');
    expect(audited()[0]).toMatchObject({ decision: 'deny', http: { status: 502 } });
    expect(audited()[0]?.reasons.join(' ')).toContain('refused the token-exchange (400 invalid_target)');
  });

  it('when the identity provider is down: 503 with the control plane\'s JSON-RPC error, audited; a cached token still serves its caller', async () => {
    const frank = await token('frank');
    expect(await whoami('whoami-a', frank)).toMatchObject({ subject: 'frank' });
    await stack.backends.idp.close();
    const refused = await whoami('whoami-a', await token('erin')).then(() => 'no error', (error: unknown) => String(error));
    expect(refused).toContain('{"jsonrpc":"2.0","id":0,"error":{"code":-32010,"message":"upstream identity: the token endpoint is unreachable"}}');
    const audited = () => requestRecords(stack.auditDir).filter((r) => r.virtual_server === 'whoami-a' && r.subject.sub === 'erin');
    await eventually(() => Promise.resolve(audited().length > 0), 10_000, 'the refusal is audited');
    expect(audited()[0]).toMatchObject({ decision: 'deny', http: { status: 503 } });
    expect(await whoami('whoami-a', frank)).toMatchObject({ subject: 'frank' });
  });
});

describe('secrecy', () => {
  it('keeps every exchanged and caller token out of the logs, metrics, access logs, audit log and artifacts', async () => {
    const exchanged = [...new Set(['whoami-a', 'whoami-b'].flatMap(receivedAuthorizations).map((v) => v.replace(/^Bearer /, '')))];
    expect(exchanged.length).toBeGreaterThanOrEqual(3);
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
    const texts: [string, string][] = [
      ['control plane log', stack.logs.join('\n')],
      ['metrics', await stack.controlPlane.metrics.registry.metrics()],
      ['access logs', JSON.stringify(stack.accessLogs)],
      ...[...stack.envoys.values()].map((e): [string, string] => [`envoy log ${e.logFile}`, readFileSync(e.logFile, 'utf8')]),
      ...files(stack.auditDir).map((f): [string, string] => [`audit ${f}`, readFileSync(f, 'latin1')]),
      ...files(stack.artifactsDir).map((f): [string, string] => [`artifact ${f}`, readFileSync(f, 'latin1')]),
    ];
    for (const [where, text] of texts) {
      for (const secret of [...exchanged, ...callerTokens]) expect(text.includes(secret), `a token in the ${where}`).toBe(false);
    }
    // The client secret is named in the artifacts, never included.
    const secret = readFileSync(join(stack.artifactsDir, '..', 'secrets', 'dev-idp-gateway-client'), 'utf8').trim();
    for (const f of files(stack.artifactsDir)) expect(readFileSync(f, 'latin1')).not.toContain(secret);
  });
});
