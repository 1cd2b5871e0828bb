// The guardrails of one artifact set, ready to run: each rule's detector built once, and a call
// looked up by (virtual server, public tool) to the rules that cover it.
import type { GuardrailSet } from '../../../artifacts/src/guardrails/guardrail-set.ts';
import { prepareRule, type Direction, type PreparedRule } from './inspect.ts';

export interface CallGuardrails {
  /** The guardrails' names, for messages. */
  readonly names: readonly string[];
  readonly rules: readonly PreparedRule[];
  /** The smallest cap of the guardrails that cover the call. */
  readonly maxBodyBytes: number;
}

export class GuardrailEngine {
  private readonly prepared = new Map<string, readonly PreparedRule[]>();

  constructor(private readonly set: GuardrailSet) {
    for (const [name, g] of Object.entries(set.guardrails)) this.prepared.set(name, g.rules.map(prepareRule));
  }

  /** The guardrails on a call of this tool through this virtual server; undefined when none. */
  forCall(virtualServer: string, publicTool: string): CallGuardrails | undefined {
    const names = this.set.tools[virtualServer]?.[publicTool];
    if (!names || names.length === 0) return undefined;
    return {
      names,
      rules: names.flatMap((n) => this.prepared.get(n) ?? []),
      maxBodyBytes: Math.min(...names.map((n) => this.set.guardrails[n]?.maxBodyBytes ?? 0)),
    };
  }
}

/** Whether some rule for this direction blocks (or fails closed): then content too large to inspect is refused. */
export function blocksIn(call: CallGuardrails, direction: Direction): boolean {
  return call.rules.some(
    ({ rule }) =>
      (rule.direction === 'both' || rule.direction === direction) &&
      (rule.action === 'block' || (rule.external !== undefined && rule.external.onFailure === 'block')),
  );
}

/** Whether any rule looks in this direction. */
export function inspects(call: CallGuardrails, direction: Direction): boolean {
  return call.rules.some(({ rule }) => rule.direction === 'both' || rule.direction === direction);
}

const engines = new WeakMap<GuardrailSet, GuardrailEngine>();

/** The engine of a set, built once per loaded set (a reload brings a new set, so a new engine). */
export function guardrailEngineOf(set: GuardrailSet): GuardrailEngine {
  let engine = engines.get(set);
  if (!engine) {
    engine = new GuardrailEngine(set);
    engines.set(set, engine);
  }
  return engine;
}
