// The call-outcome script (compiler/src/emit/xds/call-outcome-lua.ts) in the real Envoy 1.40 against
// its specification, xds-server/src/audit/call-outcome.ts, which the control plane's processors run:
// the same response bodies (hand-written edge cases and seeded generated ones: plain JSON and event
// streams, progress before the response, other ids, batches, escapes and astral characters, errors
// of every shape, malformed JSON, bodies split into chunks anywhere) pass a static Envoy whose
// tools/call route runs the script, and the outcome each access-log entry carries must be the one
// callEndOf reads from the whole body. Also: a body over the collection bound has no outcome, and a
// client that leaves once it has its result event still leaves a recorded outcome.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_COLLECTED_BYTES } from '../../artifacts/src/audit/result-retention.ts';
import { MCP_METADATA_NAMESPACE, RESULTS_METADATA_NAMESPACE } from '../../artifacts/src/metadata-names.ts';
import { TYPE } from '../../artifacts/src/type-urls.ts';
import { CALL_OUTCOME_FILTER, callOutcomeFilter, callOutcomeOn } from '../../compiler/src/emit/xds/call-outcome-filter.ts';
import { envoyHasListener, startEnvoy, waitForEnvoy, type EnvoyProcess } from '../../demo/src/envoy-process.ts';
import { adminBootstrap } from '../../xds-server/src/envoy-admin-address.ts';
import { callEndOf } from '../../xds-server/src/audit/call-outcome.ts';
import { freePorts } from '../../testkit/ports.ts';
import { random, type Random } from '../../testkit/random.ts';
import { tempDir } from '../../testkit/repo.ts';
import { eventually } from '../harness/stack.ts';

type Id = number | string;
interface Case {
  readonly name: string;
  readonly id: Id;
  /** The response body, as the chunks the server writes. */
  readonly chunks: readonly Buffer[];
}

const GENERATED = 400;
const work = tempDir('gatehouse-call-outcome-');
const accessLog = join(work.path, 'access.log');
const cases = new Map<string, Case>();
let envoy: EnvoyProcess | undefined;
let port = 0;
let server: ReturnType<typeof createServer> | undefined;
/** Responses the server holds open after their last chunk (the client is to leave first). */
const heldOpen = new Set<string>();

function bootstrap(listenerPort: number, upstreamPort: number, adminPort: number): Record<string, unknown> {
  const mcpCall = { filter: MCP_METADATA_NAMESPACE, path: [{ key: 'method' }], value: { string_match: { exact: 'tools/call' } } };
  const hcm = {
    '@type': TYPE.httpConnectionManager,
    stat_prefix: 'outcome',
    access_log: [{
      name: 'envoy.access_loggers.file',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog',
        path: accessLog,
        log_format: { json_format: { case: '%REQ(X-CASE)%', results: `%DYNAMIC_METADATA(${RESULTS_METADATA_NAMESPACE})%` } },
      },
    }],
    route_config: {
      virtual_hosts: [{
        name: 'mcp',
        domains: ['*'],
        routes: [{
          match: { prefix: '/', dynamic_metadata: [mcpCall] },
          route: { cluster: 'server', timeout: '30s' },
          typed_per_filter_config: { [CALL_OUTCOME_FILTER]: callOutcomeOn() },
        }],
      }],
    },
    http_filters: [
      { name: 'envoy.filters.http.mcp', typed_config: { '@type': TYPE.mcp, traffic_mode: 'REJECT_NO_MCP', clear_route_cache: true } },
      callOutcomeFilter(),
      { name: 'envoy.filters.http.router', typed_config: { '@type': TYPE.router } },
    ],
  };
  return {
    admin: adminBootstrap({ port: adminPort }),
    static_resources: {
      listeners: [{
        name: 'outcome',
        address: { socket_address: { address: '127.0.0.1', port_value: listenerPort } },
        filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: hcm }] }],
      }],
      clusters: [{
        name: 'server',
        type: 'STATIC',
        connect_timeout: '1s',
        load_assignment: {
          cluster_name: 'server',
          endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: upstreamPort } } } }] }],
        },
      }],
    },
  };
}

/** The server: answers each case with its chunks, one write per chunk with a pause between (so Envoy sees them apart). */
async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume();
  await once(req, 'end');
  const c = cases.get(String(req.headers['x-case']));
  if (!c) {
    res.writeHead(404).end();
    return;
  }
  const sse = c.chunks.length > 0 && /^\s*(event|data|id|retry)?:/.test(c.chunks[0]!.subarray(0, 16).toString('latin1'));
  res.writeHead(200, { 'content-type': sse ? 'text/event-stream' : 'application/json' });
  for (const chunk of c.chunks) {
    if (!res.write(chunk)) await once(res, 'drain');
    await new Promise((r) => setTimeout(r, 2));
  }
  if (!heldOpen.has(c.name)) res.end();
}

/** Sends the case's tools/call through Envoy; with `leaveAfter`, stops reading and goes once the body holds that text. */
function call(c: Case, leaveAfter?: string): Promise<void> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: c.id, method: 'tools/call', params: { name: 'probe', arguments: {} } });
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path: '/mcp', method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-case': c.name },
    }, (res) => {
      let seen = '';
      res.on('data', (d: Buffer) => {
        seen += d.toString('latin1');
        if (leaveAfter && seen.includes(leaveAfter)) {
          req.destroy();
          resolve();
        }
      });
      res.on('end', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', (e) => (leaveAfter ? resolve() : reject(e)));
    req.end(body);
  });
}

/** What the access log says of each case (its gatehouse.results metadata, or null). */
function loggedResults(): Map<string, unknown> {
  const out = new Map<string, unknown>();
  let text: string;
  try {
    text = readFileSync(accessLog, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n').filter((l) => l.startsWith('{'))) {
    const entry = JSON.parse(line) as { case: string; results: unknown };
    out.set(entry.case, entry.results);
  }
  return out;
}

/** The string as a protobuf Struct carries it (UTF-8): each lone surrogate is U+FFFD. */
const wellFormed = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/** The specification's answer: callEndOf on the whole body, as the metadata the processors give (no `result`: nothing is kept). */
function expected(c: Case): unknown {
  const body = Buffer.concat(c.chunks);
  if (body.length > MAX_COLLECTED_BYTES) return null;
  // The processors read the call's id from Envoy's metadata, a protobuf Struct whose strings are UTF-8: a lone surrogate is U+FFFD there.
  const end = callEndOf(body.toString('utf8'), typeof c.id === 'string' ? wellFormed(c.id) : c.id);
  if (!end) return null;
  const message = end.error ? wellFormed(end.error.message) : undefined;
  return { outcome: end.outcome, ...(end.error ? { error: { code: end.error.code, message } } : {}) };
}

const add = (name: string, id: Id, body: string | Buffer, cuts: readonly number[] = []): void => {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const at = [...new Set(cuts.filter((n) => n > 0 && n < bytes.length))].sort((a, b) => a - b);
  const chunks = [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length));
  cases.set(name, { name, id, chunks });
};

const rpc = (id: unknown, payload: Record<string, unknown>) => JSON.stringify({ jsonrpc: '2.0', id, ...payload });
const event = (data: string, crlf = false) => (crlf ? `event: message\r\ndata: ${data}\r\n\r\n` : `event: message\ndata: ${data}\n\n`);
const progress = rpc(undefined, { method: 'notifications/progress', params: { progressToken: 1, progress: 0.5 } });

function handWritten(): void {
  add('json-ok', 1, rpc(1, { result: { content: [{ type: 'text', text: 'hi' }] } }));
  add('json-tool-error', 2, rpc(2, { result: { content: [], isError: true } }));
  add('json-is-error-string', 3, rpc(3, { result: { isError: 'true' } }));
  add('json-is-error-nested', 4, rpc(4, { result: { content: [{ isError: true }] } }));
  add('json-rpc-error', 5, rpc(5, { error: { code: -32602, message: 'bad "arguments"\n\u00e9 \ud83d\ude00' } }));
  add('json-error-escaped', 6, `{"jsonrpc":"2.0","id":6,"error":{"code":-32000.5,"message":"\\u00e9\\ud83d\\ude00\\/\\b\\f\\t\\"\\\\"}}`);
  add('json-error-lone-surrogate', 7, `{"jsonrpc":"2.0","id":7,"error":{"code":1,"message":"a\\ud800b\\udc00"}}`);
  add('json-error-not-object', 8, rpc(8, { error: 'boom' }));
  add('json-error-without-fields', 9, rpc(9, { error: {} }));
  add('json-error-code-string', 10, rpc(10, { error: { code: '-1', message: 7 } }));
  add('json-result-null', 11, rpc(11, { result: null }));
  add('json-other-id', 12, rpc(13, { result: {} }));
  add('json-string-id', 'abc', rpc('abc', { result: { isError: true } }));
  add('json-id-type-differs', 14, rpc('14', { result: {} }));
  add('json-method-present', 15, rpc(15, { method: 'x', result: {} }));
  add('json-batch', 16, JSON.stringify([JSON.parse(rpc(99, { result: {} })), JSON.parse(rpc(16, { error: { code: 3, message: 'm' } }))]));
  add('json-whitespace', 17, `  \n\t${rpc(17, { result: { isError: true } })}\r\n `);
  add('json-trailing-garbage', 18, `${rpc(18, { result: {} })} x`);
  add('json-truncated', 19, rpc(19, { result: { content: [] } }).slice(0, -3));
  add('json-control-char', 20, `{"jsonrpc":"2.0","id":20,"error":{"code":1,"message":"a\u0001b"}}`);
  add('json-leading-zero', 21, `{"jsonrpc":"2.0","id":21,"error":{"code":01,"message":"m"}}`);
  add('json-trailing-comma', 22, `{"jsonrpc":"2.0","id":22,"result":{},}`);
  add('json-duplicate-key', 23, `{"jsonrpc":"2.0","id":23,"error":{"code":1,"message":"first","message":"last"}}`);
  add('json-empty', 24, '');
  add('json-deep', 25, `{"jsonrpc":"2.0","id":25,"result":{"isError":true,"deep":${'['.repeat(400)}${']'.repeat(400)}}}`);
  add('json-split-everywhere', 26, rpc(26, { error: { code: -1, message: 'é😀 split' } }), Array.from({ length: 80 }, (_, i) => i));
  add('sse-after-progress', 27, event(progress) + event(rpc(27, { result: { isError: true } })), [10, 40, 95]);
  add('sse-crlf', 28, event(progress, true) + event(rpc(28, { error: { code: 4, message: 'crlf' } }), true));
  add('sse-data-no-space', 29, `data:${rpc(29, { result: {} })}\n\n`);
  add('sse-comment-first', 30, `: ping\n\n${event(rpc(30, { result: { isError: true } }))}`);
  add('sse-id-and-retry', 31, `id: 5\nretry: 1000\n${event(rpc(31, { error: { code: 2, message: 'r' } }))}`);
  add('sse-other-id-first', 32, event(rpc(99, { error: { code: 9, message: 'not this' } })) + event(rpc(32, { result: {} })));
  add('sse-no-response', 33, event(progress));
  add('sse-last-line-without-newline', 34, `event: message\ndata: ${rpc(34, { result: { isError: true } })}`);
  add('sse-bad-line-then-good', 35, `data: {nope\n\n${event(rpc(35, { error: { code: 5, message: 'good' } }))}`);
  add('sse-split-in-line', 36, event(rpc(36, { error: { code: 6, message: 'ü'.repeat(50) } })), [3, 17, 18, 19, 60, 61]);
  add('sse-leading-blank-lines', 37, `\n\n${event(rpc(37, { result: { isError: true } }))}`);
}

const STRING_CHARS = ['a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', 'é', '€', '😀', '\ud800', '\udfff', '\u2028', '{', '}', '[', ']', ':', ','];

function randomString(r: Random): string {
  return Array.from({ length: r.int(12) }, () => r.pick(STRING_CHARS)).join('');
}

/** A JSON text for a string, sometimes with characters written as \u escapes (JSON.stringify escapes only what it must). */
function stringJson(r: Random, s: string): string {
  const text = JSON.stringify(s);
  if (r.next() < 0.7) return text;
  return text.replace(/[éa€]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function randomJson(r: Random, depth: number): string {
  const kind = depth > 3 ? r.int(4) : r.int(7);
  if (kind === 0) return r.pick(['true', 'false', 'null']);
  if (kind === 1) return r.pick(['0', '-1', '42', '3.5', '-0.25e2', '1E3', String(r.int(100000))]);
  if (kind <= 3) return stringJson(r, randomString(r));
  if (kind === 4 || kind === 5) {
    const key = () => stringJson(r, r.pick(['isError', 'content', 'text', randomString(r)]));
    const members = Array.from({ length: r.int(4) }, () => `${key()}:${randomJson(r, depth + 1)}`);
    return `{${members.join(',')}}`;
  }
  return `[${Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1)).join(',')}]`;
}

/** One generated JSON-RPC message for a call with this id: mostly its response, of every shape. */
function randomMessage(r: Random, id: Id, other: Id): string {
  const idJson = r.next() < 0.75 ? JSON.stringify(id) : r.pick([JSON.stringify(other), 'null', JSON.stringify(String(id))]);
  const members = [`"jsonrpc":"2.0"`];
  if (r.next() < 0.95) members.push(`"id":${idJson}`);
  const shape = r.int(10);
  if (shape < 4) {
    const isError = r.pick(['true', 'false', '"true"', '1', null]);
    members.push(`"result":{"content":${randomJson(r, 2)}${isError === null ? '' : `,"isError":${isError}`}}`);
  } else if (shape < 7) {
    const code = r.pick([String(-32000 - r.int(700)), '-32602', '0', '7.5', '"x"', null]);
    const message = r.next() < 0.9 ? stringJson(r, randomString(r)) : randomJson(r, 3);
    members.push(`"error":{${[code === null ? '' : `"code":${code}`, `"message":${message}`].filter(Boolean).join(',')}}`);
  } else if (shape === 7) {
    members.push(`"result":${randomJson(r, 1)}`);
  } else if (shape === 8) {
    members.push(`"error":${randomJson(r, 1)}`);
  } else {
    members.push('"method":"notifications/message"', `"params":${randomJson(r, 1)}`);
  }
  if (r.next() < 0.1) members.reverse();
  return `{${members.join(r.pick([',', ' , ', ',\n']))}}`;
}

/** Breaks a JSON text the way a broken server might (cut, stray byte, trailing text). */
function corrupt(r: Random, text: string): string {
  const at = r.int(text.length + 1);
  return r.pick([text.slice(0, at), `${text.slice(0, at)}\u0002${text.slice(at)}`, `${text} x`, text.replace(':', '')]);
}

function generated(r: Random, n: number): void {
  const id: Id = r.next() < 0.8 ? r.int(1_000_000) : `call-${randomString(r)}`;
  const other: Id = typeof id === 'number' ? id + 1 : `${id}-other`;
  let body: string;
  if (r.next() < 0.5) {
    let text = r.next() < 0.15 ? `[${Array.from({ length: 1 + r.int(3) }, () => randomMessage(r, id, other)).join(',')}]` : randomMessage(r, id, other);
    if (r.next() < 0.1) text = corrupt(r, text);
    body = r.pick(['', ' ', '\n']) + text + r.pick(['', '\n', ' \r\n']);
  } else {
    const crlf = r.next() < 0.2;
    const events = Array.from({ length: 1 + r.int(4) }, () => {
      const data = r.next() < 0.3 ? progress : randomMessage(r, id, other);
      return r.next() < 0.1 ? corrupt(r, data) : data;
    });
    body = events.map((e) => (r.next() < 0.3 ? `data: ${e}\n\n` : event(e, crlf))).join(r.pick(['', ': keep-alive\n\n']));
  }
  const bytes = Buffer.from(body, 'utf8');
  add(`generated-${String(n)}`, id, bytes, Array.from({ length: r.int(5) }, () => r.int(bytes.length)));
}

beforeAll(async () => {
  handWritten();
  const r = random(20261202);
  for (let n = 0; n < GENERATED; n += 1) generated(r, n);
  // Past the bound: a response at the end of a body one byte over it is not read; one just under it is.
  const last = event(rpc(90, { result: { isError: true } }));
  const filler = (total: number) => {
    const size = total - Buffer.byteLength(last) - Buffer.byteLength(event(rpc(undefined, { method: 'notifications/message', params: { data: '' } })));
    return event(rpc(undefined, { method: 'notifications/message', params: { data: 'x'.repeat(size) } }));
  };
  add('sse-over-bound', 90, filler(MAX_COLLECTED_BYTES + 1) + last);
  add('sse-under-bound', 90, filler(MAX_COLLECTED_BYTES) + last);
  add('sse-client-leaves', 91, event(progress) + event(rpc(91, { error: { code: -32001, message: 'left' } })));
  heldOpen.add('sse-client-leaves');

  const [listenerPort, upstreamPort, adminPort] = (await freePorts(3)) as [number, number, number];
  port = listenerPort;
  server = createServer((req, res) => void serve(req, res));
  server.listen(upstreamPort, '127.0.0.1');
  await once(server, 'listening');
  envoy = startEnvoy({ bootstrap: bootstrap(listenerPort, upstreamPort, adminPort), admin: { port: adminPort }, workDir: work.path });
  await waitForEnvoy(envoy, 30_000, () => envoyHasListener(envoy!.admin, 'outcome'));
}, 60_000);

afterAll(async () => {
  await envoy?.stop();
  server?.closeAllConnections();
  server?.close();
  work.remove();
});

describe("Envoy's call-outcome script", () => {
  it('records what call-outcome.ts reads from the same bodies, streamed in chunks, and nothing past the bound', async () => {
    const all = [...cases.values()].filter((c) => !heldOpen.has(c.name));
    for (let i = 0; i < all.length; i += 8) await Promise.all(all.slice(i, i + 8).map((c) => call(c)));
    await eventually(async () => Promise.resolve(all.every((c) => loggedResults().has(c.name))), 15_000, 'every call in the access log');
    const logged = loggedResults();
    const differing = all.filter((c) => !isDeepStrictEqual(logged.get(c.name), expected(c)))
      .map((c) => ({ case: c.name, id: c.id, body: Buffer.concat(c.chunks).toString('utf8').slice(0, 300), script: logged.get(c.name), spec: expected(c) }));
    expect(differing).toEqual([]);
    // The cases cover every outcome, and calls with none.
    const outcomes = all.map((c) => (expected(c) as { outcome?: string } | null)?.outcome ?? 'none');
    for (const outcome of ['ok', 'tool_error', 'jsonrpc_error', 'none']) expect(outcomes.filter((o) => o === outcome).length, outcome).toBeGreaterThan(20);
    expect(logged.get('sse-over-bound')).toBeNull();
    expect(logged.get('sse-under-bound')).toEqual({ outcome: 'tool_error' });
  }, 120_000);

  it('records the outcome of a call whose client leaves once it has its result event', async () => {
    const c = cases.get('sse-client-leaves')!;
    await call(c, '"left"');
    await eventually(async () => Promise.resolve(loggedResults().has(c.name)), 15_000, 'the call in the access log');
    expect(loggedResults().get(c.name)).toEqual({ outcome: 'jsonrpc_error', error: { code: -32001, message: 'left' } });
  }, 30_000);
});
