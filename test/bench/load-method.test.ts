// The benchmarks' load method: the open-loop schedule keeps each request's scheduled time when the
// generator falls behind, and a phase's latency counts from that time (a stall the generator
// suffered shows up as latency, instead of disappearing from the sample: coordinated omission);
// throughput counts only calls completed inside the measured window.
import { describe, expect, it } from 'vitest';
import { phaseTally } from '../../bench/lib/phase-tally.ts';
import { runSchedule } from '../../bench/lib/schedule.ts';

describe('the open-loop schedule', () => {
  it('hands every request its slot on the schedule, even when they leave late together', async () => {
    const start = performance.now();
    const scheduled: number[] = [];
    const sentAt: number[] = [];
    await runSchedule({ mode: 'open', rate: 100, concurrency: 1, start, end: start + 100 }, async (at) => {
      scheduled.push(Math.round(at - start));
      sentAt.push(performance.now() - start);
      // The first request stalls the generator for 50 ms (a garbage collection, a busy machine).
      if (scheduled.length === 1) while (performance.now() - start < 50);
      await Promise.resolve();
    });
    expect(scheduled).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    // Requests 1 to 4 leave together after the stall, 10 to 40 ms late: their latency will count from their slots.
    expect(sentAt.slice(1, 5).every((t) => t >= 50)).toBe(true);
  });
});

describe('a phase tally', () => {
  it('measures latency from the scheduled send time and reports the lag apart', () => {
    const tally = phaseTally(0, 1000);
    tally.record({ scheduled: 100, sent: 100, done: 101, ok: true });
    tally.record({ scheduled: 110, sent: 150, done: 151, ok: true }); // left 40 ms late
    const { latency, serviceTime, scheduleLag, completed } = tally.summary();
    expect(completed).toBe(2);
    expect(latency.max).toBe(41);
    expect(serviceTime.max).toBe(1);
    expect(scheduleLag.max).toBe(40);
  });

  it('counts warm-up calls in no figure, failures as errors, and completions after the window in no throughput', () => {
    const tally = phaseTally(1000, 2000);
    tally.record({ scheduled: 500, sent: 500, done: 1500, ok: true }); // scheduled in warm-up: completed in the window
    tally.record({ scheduled: 1500, sent: 1500, done: 1510, ok: false });
    tally.fail(1600);
    tally.record({ scheduled: 1900, sent: 1900, done: 2500, ok: true }); // measured, but completed after the window
    const s = tally.summary();
    expect(s.completed).toBe(1);
    expect(s.errors).toBe(2);
    expect(s.throughput).toBe(1); // one call completed in the 1 s window: the warm-up one
    expect(s.latency.max).toBe(600);
  });
});
