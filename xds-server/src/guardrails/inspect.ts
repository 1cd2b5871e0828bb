// Inspects one JSON value (a tools/call's arguments, or its result) against the rules that cover
// it: every string in it is scanned by every rule for that direction, findings under a rule's
// confidence are dropped, and the hits are counted per rule and label. A `block` hit stops the
// call; `redact` hits are replaced in place with `[REDACTED:<detector>]`; `log` hits are recorded.
// Object keys are not inspected (the schema's, not the caller's).
import type { GuardrailRule } from '../../../artifacts/src/guardrails/guardrail-set.ts';
import { builtinDetector, type Detect } from './detectors/builtin.ts';
import type { Finding } from './detectors/finding.ts';
import { callExternalDetector } from './external-detector.ts';
import type { GuardrailHit } from './guardrail-hit.ts';

export type Direction = 'arguments' | 'results';

/** A rule ready to run: its in-process detector built once. */
export interface PreparedRule {
  readonly rule: GuardrailRule;
  readonly detect?: Detect;
}

export function prepareRule(rule: GuardrailRule): PreparedRule {
  const detect = builtinDetector(rule);
  return detect ? { rule, detect } : { rule };
}

export interface Inspection {
  readonly hits: readonly GuardrailHit[];
  /** The first blocking hit, when the call must fail. */
  readonly blocked?: GuardrailHit;
  /** The value with redactions applied (the same object when nothing was redacted). */
  readonly value: unknown;
  readonly redacted: boolean;
  /** External detectors that failed, with why (for the log; the hits say what it meant). */
  readonly failures: readonly string[];
}

interface Leaf {
  readonly text: string;
  readonly spans: { start: number; end: number; detector: string }[];
}

export async function inspect(value: unknown, rules: readonly PreparedRule[], direction: Direction): Promise<Inspection> {
  const applicable = rules.filter((r) => r.rule.direction === 'both' || r.rule.direction === direction);
  if (applicable.length === 0) return { hits: [], value, redacted: false, failures: [] };
  const leaves: Leaf[] = [];
  collect(value, leaves);
  const hits: GuardrailHit[] = [];
  const failures: string[] = [];
  for (const prepared of applicable) {
    const { rule } = prepared;
    const perLeaf = prepared.detect ? leaves.map((leaf) => prepared.detect?.(leaf.text) ?? []) : await external(rule, leaves);
    if (!Array.isArray(perLeaf)) {
      failures.push(`${rule.id}: ${perLeaf.failed}`);
      const action = rule.external?.onFailure === 'allow' ? 'log' : 'block';
      hits.push({ rule: rule.id, detector: rule.detector, label: 'service-unavailable', action, direction, count: 1 });
      continue;
    }
    const counts = new Map<string, number>();
    perLeaf.forEach((findings, i) => {
      for (const f of findings) {
        if (f.confidence < rule.minConfidence) continue;
        counts.set(f.label ?? '', (counts.get(f.label ?? '') ?? 0) + 1);
        if (rule.action === 'redact') leaves[i]?.spans.push({ start: f.start, end: f.end, detector: rule.detector });
      }
    });
    for (const [label, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
      hits.push({ rule: rule.id, detector: rule.detector, ...(label ? { label } : {}), action: rule.action, direction, count });
    }
  }
  const blocked = hits.find((h) => h.action === 'block');
  const redacted = leaves.some((l) => l.spans.length > 0);
  if (blocked || !redacted) return { hits, ...(blocked ? { blocked } : {}), value, redacted: false, failures };
  let next = 0;
  const rebuilt = rebuild(value, () => {
    const leaf = leaves[next++];
    return leaf ? redact(leaf) : '';
  });
  return { hits, value: rebuilt, redacted: true, failures };
}

/** Every string in the value, depth first, in the order rebuild() visits them. */
function collect(value: unknown, out: Leaf[]): void {
  if (typeof value === 'string') out.push({ text: value, spans: [] });
  else if (Array.isArray(value)) for (const v of value) collect(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) collect(v, out);
}

function rebuild(value: unknown, nextString: () => string): unknown {
  if (typeof value === 'string') return nextString();
  if (Array.isArray(value)) return value.map((v) => rebuild(v, nextString));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rebuild(v, nextString)]));
  return value;
}

/** Replaces the spans (merged where they overlap) with a marker naming the detector. */
export function redact(leaf: Leaf): string {
  const spans = [...leaf.spans].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    if (span.end <= cursor) continue;
    if (span.start >= cursor) out += leaf.text.slice(cursor, span.start) + `[REDACTED:${span.detector}]`;
    cursor = Math.max(cursor, span.end);
  }
  return out + leaf.text.slice(cursor);
}

/** One call for all the strings (joined by newlines), the findings mapped back to each string. */
async function external(rule: GuardrailRule, leaves: readonly Leaf[]): Promise<Finding[][] | { failed: string }> {
  const perLeaf: Finding[][] = leaves.map(() => []);
  if (!rule.external || leaves.length === 0) return perLeaf;
  const offsets: number[] = [];
  let position = 0;
  for (const leaf of leaves) {
    offsets.push(position);
    position += leaf.text.length + 1;
  }
  const result = await callExternalDetector(rule.external, leaves.map((l) => l.text).join('\n'), rule.minConfidence);
  if (!result.ok) return { failed: result.reason };
  for (const f of result.findings) {
    let i = offsets.length - 1;
    while (i > 0 && (offsets[i] ?? 0) > f.start) i -= 1;
    const base = offsets[i] ?? 0;
    const leaf = leaves[i];
    if (!leaf) continue;
    perLeaf[i]?.push({ ...f, start: f.start - base, end: Math.min(f.end - base, leaf.text.length) });
  }
  return perLeaf;
}
