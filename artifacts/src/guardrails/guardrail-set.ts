// guardrails/guardrails.json: the content rules the control plane's guardrail processor enforces on
// tool calls (xds-server/src/guardrails). The compiler resolves each Guardrail's attachments to the
// client-facing tools they cover, so the processor looks a call up by (virtual server, public tool).
// Keys are sorted and the file is pinned in the manifest like every other artifact.

/** The detectors Gatehouse runs itself, and `external` (an HTTP service speaking the Presidio analyzer shape). */
export const DETECTOR_TYPES = [
  'email',
  'phone',
  'payment-card',
  'iban',
  'national-id',
  'secret',
  'prompt-injection',
  'hidden-text',
  'exfiltration-link',
  'words',
  'regex',
  'external',
] as const;
export type DetectorType = (typeof DETECTOR_TYPES)[number];

export const GUARDRAIL_ACTIONS = ['block', 'redact', 'log'] as const;
/** block: the call fails with a JSON-RPC error; redact: the match is replaced in place; log: recorded only. */
export type GuardrailAction = (typeof GUARDRAIL_ACTIONS)[number];

export const GUARDRAIL_DIRECTIONS = ['arguments', 'results', 'both'] as const;
export type GuardrailDirection = (typeof GUARDRAIL_DIRECTIONS)[number];

/** An external detector: where it is, how long to wait, and what a failure means. */
export interface ExternalDetector {
  readonly url: string;
  readonly timeoutMs: number;
  /** `block`: a failed or slow service fails the call closed; `allow`: the call passes unchecked (recorded). */
  readonly onFailure: 'block' | 'allow';
  readonly language: string;
  /** The entity types asked for (Presidio `entities`); empty: all the service knows. */
  readonly entities: readonly string[];
}

export interface GuardrailRule {
  /** `<guardrail>/<index>`: names the rule in audit records and logs. */
  readonly id: string;
  readonly detector: DetectorType;
  readonly action: GuardrailAction;
  readonly direction: GuardrailDirection;
  /** Findings below this confidence (0..1) are ignored. */
  readonly minConfidence: number;
  /** `words`: matched whole-word, case-insensitively. */
  readonly words?: readonly string[];
  /** `regex`: JavaScript patterns (checked at compile time for catastrophic backtracking). */
  readonly patterns?: readonly string[];
  readonly external?: ExternalDetector;
}

export interface CompiledGuardrail {
  readonly rules: readonly GuardrailRule[];
  /** The largest body inspected; a larger one fails closed when any rule blocks, else passes uninspected (recorded). */
  readonly maxBodyBytes: number;
}

export interface GuardrailSet {
  readonly guardrails: Readonly<Record<string, CompiledGuardrail>>;
  /** virtual server → public tool name → the guardrails on its calls (sorted). */
  readonly tools: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export const EMPTY_GUARDRAIL_SET: GuardrailSet = { guardrails: {}, tools: {} };

/**
 * One guardrail hit, as the audit record and the metrics carry it: which rule, what it found (type
 * and count, never the matched text), and what was done. `oversize`: content too large to inspect.
 */
export interface GuardrailHit {
  /** `<guardrail>/<index>`, or the guardrail's name for `oversize`. */
  readonly rule: string;
  readonly detector: DetectorType | 'oversize';
  /** A finer kind (`us-ssn`, `aws-access-key`, an external entity type, `service-unavailable`). */
  readonly label?: string;
  readonly action: GuardrailAction;
  readonly direction: 'arguments' | 'results';
  /** How many findings. */
  readonly count: number;
}

/** The JSON-RPC error code of a call a guardrail blocked. */
export const GUARDRAIL_BLOCKED_CODE = -32005;

export function isGuardrailSet(value: unknown): value is GuardrailSet {
  if (!isObject(value) || !isObject(value.guardrails) || !isObject(value.tools)) return false;
  const rulesOk = Object.values(value.guardrails).every(
    (g) => isObject(g) && typeof g.maxBodyBytes === 'number' && Array.isArray(g.rules) && g.rules.every(isRule),
  );
  const toolsOk = Object.values(value.tools).every(
    (byTool) => isObject(byTool) && Object.values(byTool).every((names) => Array.isArray(names) && names.every((n) => typeof n === 'string')),
  );
  return rulesOk && toolsOk;
}

function isRule(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    (DETECTOR_TYPES as readonly unknown[]).includes(value.detector) &&
    (GUARDRAIL_ACTIONS as readonly unknown[]).includes(value.action) &&
    (GUARDRAIL_DIRECTIONS as readonly unknown[]).includes(value.direction) &&
    typeof value.minConfidence === 'number'
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
