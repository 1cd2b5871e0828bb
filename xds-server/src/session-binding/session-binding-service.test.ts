import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { fromJson, toJson } from '@bufbuild/protobuf';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { envoyMessage, envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { memoryLogger } from '../log.ts';
import { sessionBindingProcess } from './session-binding-service.ts';
import { unwrapSessionId } from './session-id.ts';

type Message = { $typeName: string };
const ISSUER = 'https://idp.example';
const key = randomBytes(32);
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** One ext_proc stream: the messages Envoy would send, and the answers the service wrote, in protobuf JSON. */
function stream(requests: Record<string, unknown>[], sessionKey: Buffer | undefined = key): Record<string, unknown>[] {
  const registry = envoyRegistry();
  const answers: Record<string, unknown>[] = [];
  const call = Object.assign(new EventEmitter(), {
    write: (message: Message) => answers.push(toJson(envoyMessage('envoy.service.ext_proc.v3.ProcessingResponse'), message as never, { registry }) as never),
    end: () => undefined,
  });
  sessionBindingProcess({ key: () => sessionKey, logger: memoryLogger() })(call as unknown as ServerDuplexStream<Message, Message>);
  for (const json of requests) call.emit('data', fromJson(envoyMessage('envoy.service.ext_proc.v3.ProcessingRequest'), json as never, { registry }));
  return answers;
}

const requestHeaders = (sub: string) => ({
  requestHeaders: { headers: { headers: [{ key: ':path', rawValue: b64('/mcp/knowledge') }] } },
  metadataContext: { filterMetadata: { 'envoy.filters.http.jwt_authn': { jwt_payload: { iss: ISSUER, sub } } } },
});
const responseHeaders = (session?: string) => ({
  responseHeaders: {
    headers: { headers: [{ key: ':status', rawValue: b64('200') }, ...(session ? [{ key: 'mcp-session-id', rawValue: b64(session) }] : [])] },
  },
});

type Mutation = { setHeaders?: { header: { key: string; rawValue: string } }[]; removeHeaders?: string[] };
const mutation = (answer: Record<string, unknown> | undefined) =>
  (answer as { responseHeaders?: { response?: { headerMutation?: Mutation } } } | undefined)?.responseHeaders?.response?.headerMutation;

describe('session binding on initialize responses', () => {
  it("replaces the server's session id with one bound to the caller and virtual server", () => {
    const [, answer] = stream([requestHeaders('alice'), responseHeaders('upstream-7')]);
    const set = mutation(answer)?.setHeaders?.[0]?.header;
    expect(set?.key).toBe('mcp-session-id');
    const wrapped = Buffer.from(set?.rawValue ?? '', 'base64').toString('utf8');
    expect(unwrapSessionId(key, { issuer: ISSUER, subject: 'alice', virtualServer: 'knowledge' }, wrapped)).toEqual({ ok: true, upstreamId: 'upstream-7' });
    expect(unwrapSessionId(key, { issuer: ISSUER, subject: 'bob', virtualServer: 'knowledge' }, wrapped).ok).toBe(false);
  });

  it('leaves a response without a session id alone (stateless servers)', () => {
    expect(mutation(stream([requestHeaders('alice'), responseHeaders()])[1])).toBeUndefined();
  });

  it('passes a denial through unchanged: a local reply whose request never reached the filter', () => {
    expect(stream([responseHeaders('whatever')])).toEqual([{ responseHeaders: {} }]);
  });

  it('withholds the id when it cannot bind it (no verified caller)', () => {
    const noCaller = { requestHeaders: { headers: { headers: [{ key: ':path', rawValue: b64('/mcp/knowledge') }] } } };
    expect(mutation(stream([noCaller, responseHeaders('upstream-7')])[1])).toEqual({ removeHeaders: ['mcp-session-id'] });
  });
});
