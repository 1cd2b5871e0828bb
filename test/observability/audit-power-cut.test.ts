// Durability of the audit writer across a power cut, on a simulated disk (power-cut-disk.ts) that
// loses every byte not yet fdatasync'ed and every name whose folder was not fsync'ed. The power
// goes before each operation the writer makes in turn (with and without a torn last write); the
// machine boots again, a new writer continues the log, and every record whose append had resolved
// must be in it, and the log must verify. The same run on a disk whose fdatasync saves nothing,
// which is what a writer that acknowledges without syncing would get, loses acknowledged records:
// so this test fails if the writer stops syncing before it acknowledges. Records in files that
// retention deleted (and said so in a retention record, which the verifier checks) count as kept. (Acknowledging before the
// sync returns is caught too: the power also goes just before each fdatasync.) The anchors (a
// checkpoint's head, appended to a file in another folder once the checkpoint is synced) are on the
// same disk, so the power also goes before each anchor write; after the reboot every anchor must
// name a line the log holds, and the rebooted writer's shutdown checkpoint must be anchored.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditRequest } from '../../artifacts/src/audit/audit-line.ts';
import { readAnchors } from '../../artifacts/src/audit/audit-anchor.ts';
import { verifyStream, type StreamReport } from '../../audit/src/verify.ts';
import { AuditStreamWriter, type StreamSettings } from '../../xds-server/src/audit/audit-writer.ts';
import { callRecord, SETTINGS, TEST_KEY } from '../../testkit/audit-fixtures.ts';
import { PowerCutDisk, type PowerCutOptions } from './power-cut-disk.ts';

const DIR = '/audit';
// The anchors go to another folder of the same disk: their writes are among the operations cut.
const ANCHORS = '/anchors';
// Small files, so rotation and retention happen within a run; a records checkpoint every 7.
const SMALL: StreamSettings = { ...SETTINGS, rotateBytes: 4000, retainFiles: 3, checkpointRecords: 7 };
const OPEN = { dir: DIR, stream: 'edge', key: TEST_KEY, anchorDir: ANCHORS, settings: SMALL } as const;
const BATCHES = 24;

// The writer's checkpoint interval timer of a machine that lost power must not fire later.
beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] }));
afterEach(() => vi.useRealTimers());

interface Outcome {
  /** Request ids whose append resolved before the power went. */
  readonly acked: string[];
  /** Request ids in the log after the reboot, or in files its retention records say were deleted. */
  readonly logged: Set<string>;
  readonly report: StreamReport;
  readonly lineTypes: string[];
}

/** Appends batches (up to 3 in flight) until the power goes or all are acknowledged, cuts it, boots again and reads the log. */
async function runToPowerCut(options: PowerCutOptions): Promise<Outcome & { operations: number }> {
  const disk = new PowerCutDisk(options);
  const acked: string[] = [];
  const dead = disk.cut.then(() => 'dead' as const);
  const writer = await Promise.race([AuditStreamWriter.open({ ...OPEN, io: disk.io() }), dead]);
  if (writer !== 'dead') {
    const inFlight: Promise<unknown>[] = [];
    let next = 0;
    for (let batch = 0; batch < BATCHES && !disk.isCut; batch++) {
      const records: AuditRequest[] = Array.from({ length: 1 + (batch % 4) }, (_, i) => callRecord(next + i));
      next += records.length;
      inFlight.push(writer.append(records).then(() => acked.push(...records.map((r) => r.request_id))));
      if (inFlight.length >= 3) await Promise.race([inFlight.shift(), dead]);
    }
    await Promise.race([Promise.all(inFlight), dead]);
  }
  const operations = disk.operations;
  disk.cutPower();
  const rebooted = await AuditStreamWriter.open({ ...OPEN, io: disk.io() });
  await rebooted.close();
  const files = disk.files(DIR);
  const lines = files.flatMap((f) => parseLines(f.text));
  // A deleted file may itself hold the retention record of an older one; each file is read once.
  const kept = [...lines];
  const named = new Set<string>();
  for (let i = 0; i < kept.length; i++) {
    for (const { file } of kept[i]!.removed ?? []) {
      if (!named.has(file)) kept.push(...parseLines(disk.removed.get(file) ?? ''));
      named.add(file);
    }
  }
  return {
    acked,
    logged: new Set(kept.flatMap((l) => (l.type === 'request' && l.request_id ? [l.request_id] : []))),
    report: verifyStream('edge', files, { key: TEST_KEY, anchors: { path: ANCHORS, file: readAnchors(disk.files(ANCHORS)[0]?.text ?? '', 'edge') } }),
    lineTypes: lines.map((l) => l.type),
    operations,
  };
}

interface Line {
  readonly type: string;
  readonly request_id?: string;
  readonly removed?: readonly { readonly file: string }[];
}

function parseLines(text: string): Line[] {
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);
}

const lost = (outcome: Outcome) => outcome.acked.filter((id) => !outcome.logged.has(id));

describe('a power cut', () => {
  it('keeps every acknowledged record, wherever it falls, and the log verifies', async () => {
    // The power goes only after every append resolved.
    const whole = await runToPowerCut({});
    expect(whole.acked).toHaveLength(Array.from({ length: BATCHES }, (_, b) => 1 + (b % 4)).reduce((a, b) => a + b));
    expect(lost(whole)).toEqual([]);
    expect(whole.report.problem).toBeUndefined();
    expect(whole.report.anchored).toMatchObject({ linesAfter: 0 });
    // That run rotates and applies retention, so the cuts below fall in those too.
    expect(whole.lineTypes.filter((t) => t === 'retention').length).toBeGreaterThan(0);
    expect(whole.operations).toBeGreaterThan(50);

    let runs = 0;
    let ackedBeforeCut = 0;
    let tornTailsRepaired = 0;
    for (let cutBefore = 1; cutBefore <= whole.operations; cutBefore++) {
      for (const keepUnsynced of [0, 0.5]) {
        const outcome = await runToPowerCut({ cutBefore, keepUnsynced });
        const where = `power cut before operation ${cutBefore}, keeping ${keepUnsynced} of unsynced bytes`;
        expect(lost(outcome), where).toEqual([]);
        expect(outcome.report.problem, where).toBeUndefined();
        expect(outcome.report.anchored, where).toMatchObject({ linesAfter: 0 });
        runs += 1;
        ackedBeforeCut += outcome.acked.length;
        if (outcome.lineTypes.includes('recovery')) tornTailsRepaired += 1;
      }
    }
    expect(runs).toBe(2 * whole.operations);
    expect(ackedBeforeCut).toBeGreaterThan(whole.operations);
    expect(tornTailsRepaired).toBeGreaterThan(0);
  });

  it('loses acknowledged records when fdatasync saves nothing (so the test above depends on the sync)', async () => {
    const outcome = await runToPowerCut({ syncDoesNothing: true });
    expect(outcome.acked.length).toBeGreaterThan(0);
    expect(lost(outcome)).toEqual(outcome.acked);
  });
});
