// The request schedule both load generators share: open loop (requests issued at a fixed rate,
// whatever the latency, so slow responses show up as latency and not as a lower rate) or closed
// loop (a fixed number of requests in flight, for saturation throughput).

export interface Schedule {
  readonly mode: 'open' | 'closed';
  readonly rate: number;
  readonly concurrency: number;
  /** performance.now() at which issuing stops. */
  readonly end: number;
  /** performance.now() the open-loop schedule counts from. */
  readonly start: number;
}

/** Runs `one(scheduledAt)` on the schedule and resolves when every request issued has finished. */
export async function runSchedule(schedule: Schedule, one: (scheduledAt: number) => Promise<void>): Promise<void> {
  if (schedule.mode === 'closed') {
    await Promise.all(
      Array.from({ length: schedule.concurrency }, async () => {
        while (performance.now() < schedule.end) await one(performance.now());
      }),
    );
    return;
  }
  const inflight = new Set<Promise<void>>();
  let issued = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      if (now >= schedule.end) {
        resolve();
        return;
      }
      // Request i's slot is start + i/rate: it is due once that time has come (i = 0 at start), not an interval later.
      const due = Math.floor(((now - schedule.start) / 1000) * schedule.rate) + 1;
      while (issued < due) {
        const scheduled = schedule.start + (issued / schedule.rate) * 1000;
        issued++;
        const p = one(scheduled).finally(() => inflight.delete(p));
        inflight.add(p);
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(inflight);
}
