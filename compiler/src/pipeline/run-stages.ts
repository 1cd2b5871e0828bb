// Runs a stage table: one progress line per stage, the state threaded from stage to stage, and the
// stop rule (a stage without a value ends the run; so do errors so far after a stage that stops on error).
import { dedupeDiagnostics, hasErrors, sortDiagnostics, type Diagnostic, type Staged } from '../diagnostics/diagnostic.ts';
import type { Progress } from './progress.ts';
import type { StageRow, StageTable } from './stages.ts';

export interface StagesOutcome<In extends object, S extends object> {
  /** Everything every stage that ran reported, deduplicated and sorted. */
  readonly diagnostics: readonly Diagnostic[];
  /** The final state, when every stage ran and none ended the run. */
  readonly value: S | undefined;
  /** The state as far as the run got. */
  readonly reached: In & Partial<S>;
}

/** The bookkeeping both runners share. */
class Run {
  readonly diagnostics: Diagnostic[] = [];
  ended = false;

  constructor(public state: object) {}

  /** Takes a stage's result; false when the run ends here. */
  accept(stopsOnError: boolean, result: Staged<object>): boolean {
    this.diagnostics.push(...result.diagnostics);
    if (result.value === undefined) this.ended = true;
    else this.state = { ...this.state, ...result.value };
    if (stopsOnError && hasErrors(this.diagnostics)) this.ended = true;
    return !this.ended;
  }

  outcome<In extends object, S extends object>(): StagesOutcome<In, S> {
    const diagnostics = sortDiagnostics(dedupeDiagnostics(this.diagnostics));
    return { diagnostics, value: this.ended ? undefined : (this.state as S), reached: this.state as In & Partial<S> };
  }
}

function summaryOf(row: StageRow & { kind: 'once' }, state: object): ((result: Staged<object>) => string) | undefined {
  const summary = row.stage.summary;
  return summary ? (result) => summary(result, state) : undefined;
}

/** Runs a table whose stages are all synchronous. */
export function runStagesSync<In extends object, S extends object>(table: StageTable<In, S, true>, input: In, progress: Progress): StagesOutcome<In, S> {
  const run = new Run(input);
  for (const row of table.rows) {
    // A synchronous table has only synchronous single stages (the builder's types see to it).
    if (row.kind !== 'once') throw new Error(`stage table: a synchronous table holds a per-item stage`);
    const stage = row.stage as { readonly run: (state: object) => Staged<object> };
    const result = progress.stage(row.stage.name, () => stage.run(run.state), summaryOf(row, run.state));
    if (!run.accept(row.stage.stopsOnError, result)) break;
  }
  return run.outcome<In, S>();
}

/** Runs any table, waiting for each stage in turn. */
export async function runStages<In extends object, S extends object>(
  table: StageTable<In, S, boolean>,
  input: In,
  progress: Progress,
): Promise<StagesOutcome<In, S>> {
  const run = new Run(input);
  for (const row of table.rows) {
    const state = run.state;
    if (row.kind === 'once') {
      const stage = row.stage;
      const result = await progress.stageAsync(stage.name, async () => stage.run(state), summaryOf(row, state));
      if (!run.accept(stage.stopsOnError, result)) break;
      continue;
    }
    const stage = row.stage;
    const diagnostics: Diagnostic[] = [];
    for (const item of stage.items(state)) {
      const summary = stage.summary;
      diagnostics.push(...(await progress.stageAsync(stage.name(item), async () => stage.run(item, state), summary ? (d) => summary(d, item) : undefined)));
    }
    if (!run.accept(stage.stopsOnError, { value: {}, diagnostics })) break;
  }
  return run.outcome<In, S>();
}
