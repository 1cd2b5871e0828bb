// The limits a route sends the session-binding processor (gRPC metadata SUBJECT_LIMITS_HEADER,
// JSON). Absent or unreadable: no limit is applied by this processor (an artifact set compiled
// before limits existed); the compiler always sends them.
import type { Metadata } from '@grpc/grpc-js';
import { SUBJECT_LIMITS_HEADER, type ProcessorLimits } from '../../../artifacts/src/subject-limits.ts';

export function processorLimits(metadata: Metadata): ProcessorLimits | undefined {
  const raw = metadata.get(SUBJECT_LIMITS_HEADER)[0];
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<Record<keyof ProcessorLimits, unknown>>;
    const { sessions, streams } = parsed;
    return isCount(sessions) && isCount(streams) ? { sessions, streams } : undefined;
  } catch {
    return undefined;
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
