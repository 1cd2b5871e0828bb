// A pipeline as a table of stages. Each stage is a function from the state so far to what it adds and the
// diagnostics it found; the table says, per stage, whether errors reported so far end the run after it.
// run-stages.ts runs a table, printing one progress line per stage.
import type { Diagnostic, Staged } from '../diagnostics/diagnostic.ts';

/**
 * One stage: `run` gets the state so far and returns what it adds to it, or no value when it cannot
 * produce one (which ends the run). With `stopsOnError`, the run also ends after this stage when any
 * stage so far has reported an error.
 */
export interface Stage<In, Out extends object> {
  /** The progress line's name. */
  readonly name: string;
  readonly stopsOnError: boolean;
  readonly run: (state: In) => Staged<Out>;
  /** What the progress line says the stage produced. */
  readonly summary?: (result: Staged<Out>, state: In) => string;
}

/** A stage that waits for a tool (OPA, Envoy) or a file. */
export interface AsyncStage<In, Out extends object> {
  readonly name: string;
  readonly stopsOnError: boolean;
  readonly run: (state: In) => Promise<Staged<Out>>;
  readonly summary?: (result: Staged<Out>, state: In) => string;
}

/**
 * A stage run once per item (one progress line each), adding nothing to the state. No items: the
 * stage is skipped without a line. With `stopsOnError`, the stop rule applies after the last item.
 */
export interface EachStage<In, Item> {
  readonly name: (item: Item) => string;
  readonly stopsOnError: boolean;
  readonly items: (state: In) => readonly Item[];
  readonly run: (item: Item, state: In) => readonly Diagnostic[] | Promise<readonly Diagnostic[]>;
  readonly summary?: (diagnostics: readonly Diagnostic[], item: Item) => string;
}

/** A row of the table, its state types erased (the builder checked them). */
export type StageRow =
  | { readonly kind: 'once'; readonly stage: Stage<object, object> | AsyncStage<object, object> }
  | { readonly kind: 'each'; readonly stage: EachStage<object, unknown> };

/**
 * The table, built row by row so that each stage's input type is checked against what the stages
 * before it add: `In` is what the caller gives, `S` the state after the last row, and `Sync` whether
 * every row is synchronous (only such a table runs without a promise).
 */
export class StageTable<In extends object, S extends object, Sync extends boolean> {
  /** Types only: tells a table with an async row from one without. */
  declare readonly sync: Sync;

  private constructor(readonly rows: readonly StageRow[]) {}

  static start<In extends object>(): StageTable<In, In, true> {
    return new StageTable<In, In, true>([]);
  }

  then<Out extends object>(stage: Stage<S, Out>): StageTable<In, S & Out, Sync>;
  then<Out extends object>(stage: AsyncStage<S, Out>): StageTable<In, S & Out, false>;
  then<Out extends object>(stage: Stage<S, Out> | AsyncStage<S, Out>): StageTable<In, S & Out, boolean> {
    return new StageTable<In, S & Out, boolean>([...this.rows, { kind: 'once', stage } as unknown as StageRow]);
  }

  thenEach<Item>(stage: EachStage<S, Item>): StageTable<In, S, false> {
    return new StageTable<In, S, false>([...this.rows, { kind: 'each', stage } as unknown as StageRow]);
  }
}
