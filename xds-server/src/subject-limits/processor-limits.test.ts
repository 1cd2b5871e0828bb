import { Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { SUBJECT_LIMITS_HEADER } from '../../../artifacts/src/subject-limits.ts';
import { processorLimits } from './processor-limits.ts';

const metadata = (value?: string) => {
  const m = new Metadata();
  if (value !== undefined) m.set(SUBJECT_LIMITS_HEADER, value);
  return m;
};

describe('the limits a route sends the processor', () => {
  it('reads whole positive counts, and nothing else', () => {
    expect(processorLimits(metadata('{"sessions":3,"streams":2}'))).toEqual({ sessions: 3, streams: 2 });
    expect(processorLimits(metadata())).toBeUndefined();
    expect(processorLimits(metadata('not json'))).toBeUndefined();
    expect(processorLimits(metadata('{"sessions":0,"streams":2}'))).toBeUndefined();
    expect(processorLimits(metadata('{"sessions":1.5,"streams":2}'))).toBeUndefined();
    expect(processorLimits(metadata('{"sessions":3}'))).toBeUndefined();
  });
});
