import { EventEmitter } from 'node:events';
import { Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { SUBJECT_LIMITS_HEADER } from '../../../artifacts/src/subject-limits.ts';
import { SubjectCounters } from './subject-counters.ts';
import { subjectLimitsHook } from './subject-limits-hook.ts';

const alice = { issuer: 'https://idp', subject: 'alice', virtualServer: 'knowledge' };

/** An ext_proc stream as the hook sees it: its gRPC metadata and its lifecycle events. */
function call(limits = '{"sessions":1,"streams":1}') {
  const emitter = new EventEmitter();
  const metadata = new Metadata();
  metadata.set(SUBJECT_LIMITS_HEADER, limits);
  return Object.assign(emitter, { metadata });
}

const request = (method: string) => ({ requestHeaders: { headers: { headers: [{ key: ':method', value: method }] } } });

describe('the session-binding processor\'s limits, per ext_proc stream', () => {
  it('a GET holds its stream slot until its ext_proc stream is cancelled', () => {
    const counters = new SubjectCounters({ sessionIdleMs: 60_000 });
    const first = call();
    expect(subjectLimitsHook(counters, first)!.admit(alice, request('GET'))).toBeUndefined();
    expect(subjectLimitsHook(counters, call())!.admit(alice, request('GET'))).toHaveProperty('immediateResponse');
    first.emit('cancelled');
    first.emit('close');
    expect(subjectLimitsHook(counters, call())!.admit(alice, request('GET'))).toBeUndefined();
  });

  it('an initialize keeps its session slot only when the answer opened a session', () => {
    const counters = new SubjectCounters({ sessionIdleMs: 60_000 });
    const failed = call();
    subjectLimitsHook(counters, failed)!.admit(alice, request('POST'));
    // Pending until the answer: the only slot is taken.
    expect(subjectLimitsHook(counters, call())!.admit(alice, request('POST'))).toHaveProperty('immediateResponse');
    // The stream ended without a session (the server refused initialize): the slot is free again.
    failed.emit('end');
    const opened = subjectLimitsHook(counters, call())!;
    expect(opened.admit(alice, request('POST'))).toBeUndefined();
    opened.sessionOpened('knowledge', 'upstream-1');
    expect(counters.counts().sessions).toBe(1);
    expect(subjectLimitsHook(counters, call())!.admit(alice, request('POST'))).toHaveProperty('immediateResponse');
  });

  it('applies nothing without the route\'s limits (an artifact set from before them)', () => {
    const bare = Object.assign(new EventEmitter(), { metadata: new Metadata() });
    expect(subjectLimitsHook(new SubjectCounters({ sessionIdleMs: 1 }), bare)).toBeUndefined();
  });
});
