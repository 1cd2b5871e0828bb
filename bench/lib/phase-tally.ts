// What an HTTP load phase counts, apart from how requests are sent: each call's latency from its
// scheduled send time (no coordinated omission: a late send is part of the latency), the time it
// was in service, how late it left, and the calls completed inside the measured window.
import { percentiles, type Percentiles } from './common.ts';

export interface Tally {
  /** Records one call; `ok` = the response was the expected one. Times from performance.now(). */
  record(call: { scheduled: number; sent: number; done: number; ok: boolean }): void;
  /** Records a call that failed without a response. */
  fail(scheduled: number): void;
  /** Whether a call scheduled at this time is measured (it is in the window, after warm-up). */
  counts(scheduled: number): boolean;
  summary(): { completed: number; errors: number; throughput: number; latency: Percentiles; serviceTime: Percentiles; scheduleLag: Percentiles };
}

/** A tally over the window [from, to) (ms on the performance.now() clock). */
export function phaseTally(from: number, to: number): Tally {
  const latencies: number[] = [];
  const serviceTimes: number[] = [];
  const lags: number[] = [];
  let completedInWindow = 0;
  let errors = 0;
  const counts = (scheduled: number) => scheduled >= from && scheduled < to;
  return {
    counts,
    record({ scheduled, sent, done, ok }) {
      if (ok && done >= from && done <= to) completedInWindow++;
      if (!counts(scheduled)) return;
      if (!ok) {
        errors++;
        return;
      }
      latencies.push(done - scheduled);
      serviceTimes.push(done - sent);
      lags.push(sent - scheduled);
    },
    fail(scheduled) {
      if (counts(scheduled)) errors++;
    },
    summary: () => ({
      completed: latencies.length,
      errors,
      throughput: Math.round((completedInWindow / ((to - from) / 1000)) * 10) / 10,
      latency: percentiles(latencies),
      serviceTime: percentiles(serviceTimes),
      scheduleLag: percentiles(lags),
    }),
  };
}
