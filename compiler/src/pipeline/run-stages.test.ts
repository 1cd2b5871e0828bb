import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { envoyRejection } from './check-fleet.ts';
import { progressPrinter } from './progress.ts';
import { runStages, runStagesSync } from './run-stages.ts';
import { StageTable } from './stages.ts';

const error = (message: string): Diagnostic => ({ code: 'schema', severity: 'error', message });
const warning = (message: string): Diagnostic => ({ code: 'schema', severity: 'warning', message });

/** A Progress that records its lines without their durations. */
function recorder() {
  const lines: string[] = [];
  return { lines, progress: progressPrinter((line) => lines.push(line.replace(/ \(\d+ ms\)\n$/, '')), 'test:') };
}

/** n -> n + 1 -> text, with a problem injected where a test asks for one. */
function table(options: { parseError?: boolean; noValue?: boolean; stops: boolean }) {
  return StageTable.start<{ n: number }>()
    .then({
      name: 'double',
      stopsOnError: false,
      run: ({ n }) => ({ value: { doubled: n * 2 }, diagnostics: options.parseError ? [error('bad input')] : [warning('odd')] }),
      summary: (r) => `${r.value?.doubled ?? 0}`,
    })
    .then({
      name: 'describe',
      stopsOnError: options.stops,
      run: ({ doubled }) => ({ value: options.noValue ? undefined : { text: `=${doubled}` }, diagnostics: [] }),
    })
    .then({ name: 'shout', stopsOnError: false, run: ({ text }) => ({ value: { loud: text.toUpperCase() }, diagnostics: [] }) });
}

describe('runStagesSync', () => {
  it('threads the state through every stage and prints one line per stage, with its summary', () => {
    const { lines, progress } = recorder();
    const outcome = runStagesSync(table({ stops: true }), { n: 2 }, progress);
    expect(outcome.value).toEqual({ n: 2, doubled: 4, text: '=4', loud: '=4' });
    expect(lines).toEqual(['test: double: 4', 'test: describe', 'test: shout']);
    expect(outcome.diagnostics).toEqual([warning('odd')]);
  });

  it('ends the run after a stage that stops on error when an earlier stage reported one', () => {
    const { lines, progress } = recorder();
    const outcome = runStagesSync(table({ parseError: true, stops: true }), { n: 2 }, progress);
    expect(lines).toEqual(['test: double: 4', 'test: describe']);
    expect(outcome.value).toBeUndefined();
    expect(outcome.reached).toEqual({ n: 2, doubled: 4, text: '=4' });
    expect(outcome.diagnostics).toEqual([error('bad input')]);
  });

  it('goes on past errors when no stage stops on them', () => {
    const { lines, progress } = recorder();
    const outcome = runStagesSync(table({ parseError: true, stops: false }), { n: 2 }, progress);
    expect(lines).toHaveLength(3);
    expect(outcome.value?.loud).toBe('=4');
  });

  it('ends the run at a stage that yields no value, whatever it says about errors', () => {
    const { lines, progress } = recorder();
    const outcome = runStagesSync(table({ noValue: true, stops: false }), { n: 2 }, progress);
    expect(lines).toEqual(['test: double: 4', 'test: describe']);
    expect(outcome.value).toBeUndefined();
    expect(outcome.reached).toEqual({ n: 2, doubled: 4 });
  });
});

describe('runStages', () => {
  const perItem = (failing: string) =>
    StageTable.start<{ items: readonly string[] }>()
      .thenEach({
        name: (item: string) => `check ${item}`,
        stopsOnError: true,
        items: (state) => state.items,
        run: (item) => Promise.resolve(item === failing ? [error(`${item} failed`), error(`${item} failed`)] : []),
        summary: (diagnostics) => (diagnostics.length > 0 ? 'rejected' : 'accepted'),
      })
      .then({ name: 'after', stopsOnError: false, run: () => Promise.resolve({ value: { done: true }, diagnostics: [] }) });

  it('runs a per-item stage once per item, then applies the stop rule after the last one', async () => {
    const { lines, progress } = recorder();
    const outcome = await runStages(perItem('b'), { items: ['a', 'b', 'c'] }, progress);
    expect(lines).toEqual(['test: check a: accepted', 'test: check b: rejected', 'test: check c: accepted']);
    expect(outcome.value).toBeUndefined();
    expect(outcome.diagnostics).toEqual([error('b failed')]);
  });

  it('skips a per-item stage with no items, without a line', async () => {
    const { lines, progress } = recorder();
    const outcome = await runStages(perItem('b'), { items: [] }, progress);
    expect(lines).toEqual(['test: after']);
    expect(outcome.value).toEqual({ items: [], done: true });
  });
});

describe('envoyRejection', () => {
  it('reports a fleet Envoy rejects, even when Envoy gives no reason', () => {
    expect(envoyRejection('default', undefined)).toEqual([]);
    expect(envoyRejection('default', 'unknown field "x"').map((d) => [d.code, d.message])).toEqual([
      ['envoy-rejected', 'Envoy rejects the configuration of fleet "default": unknown field "x"'],
    ]);
    expect(envoyRejection('default', '').map((d) => d.code)).toEqual(['envoy-rejected']);
  });
});
