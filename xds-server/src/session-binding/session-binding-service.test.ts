import { EventEmitter } from 'node:events';
import { createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import { fromJson, toJson } from '@bufbuild/protobuf';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { envoyMessage, envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { memoryLogger } from '../log.ts';
import { sessionBindingProcess } from './session-binding-service.ts';
import { sessionSigner, type SessionSigner } from './session-signer.ts';

type Message = { $typeName: string };
const ISSUER = 'https://idp.example';
const signer = sessionSigner(randomBytes(32));
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** One ext_proc stream: the messages Envoy would send, and the answers the service wrote, in protobuf JSON. */
function stream(requests: Record<string, unknown>[], sessionSigner: SessionSigner | null = signer): Record<string, unknown>[] {
  const registry = envoyRegistry();
  const answers: Record<string, unknown>[] = [];
  const call = Object.assign(new EventEmitter(), {
    write: (message: Message) => answers.push(toJson(envoyMessage('envoy.service.ext_proc.v3.ProcessingResponse'), message as never, { registry }) as never),
    end: () => undefined,
  });
  sessionBindingProcess({ signer: () => sessionSigner ?? undefined, logger: memoryLogger() })(call as unknown as ServerDuplexStream<Message, Message>);
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
    // ES256 signatures differ each time: the signed part is the same, and the signature verifies.
    const expected = signer.sign({ issuer: ISSUER, subject: 'alice', virtualServer: 'knowledge' }, 'upstream-7');
    const signedPart = (token: string) => token.split('.').slice(0, 2).join('.');
    expect(signedPart(wrapped)).toBe(signedPart(expected));
    const [jwk] = (JSON.parse(signer.jwks) as { keys: JsonWebKey[] }).keys;
    const signature = Buffer.from(wrapped.split('.')[2] ?? '', 'base64url');
    const key = createPublicKey({ key: jwk!, format: 'jwk' });
    expect(verify('sha256', Buffer.from(signedPart(wrapped)), { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('leaves a response without a session id alone (stateless servers)', () => {
    expect(mutation(stream([requestHeaders('alice'), responseHeaders()])[1])).toBeUndefined();
  });

  it('passes a denial through unchanged: a local reply whose request never reached the filter', () => {
    expect(stream([responseHeaders('whatever')])).toEqual([{ responseHeaders: {} }]);
  });

  it('withholds the id when it cannot sign it (no key yet)', () => {
    expect(mutation(stream([requestHeaders('alice'), responseHeaders('upstream-7')], null)[1])).toEqual({ removeHeaders: ['mcp-session-id'] });
  });

  it('withholds the id when it cannot bind it (no verified caller)', () => {
    const noCaller = { requestHeaders: { headers: { headers: [{ key: ':path', rawValue: b64('/mcp/knowledge') }] } } };
    expect(mutation(stream([noCaller, responseHeaders('upstream-7')])[1])).toEqual({ removeHeaders: ['mcp-session-id'] });
  });
});
