// One guardrail hit as the audit record and the metrics see it: which rule, what it found (type and
// count, never the matched text), and what was done.
import type { DetectorType, GuardrailAction } from '../../../artifacts/src/guardrails/guardrail-set.ts';

export interface GuardrailHit {
  /** `<guardrail>/<index>`. */
  readonly rule: string;
  readonly detector: DetectorType;
  /** A finer kind (`us-ssn`, `aws-access-key`, an external entity type, `service-unavailable`). */
  readonly label?: string;
  readonly action: GuardrailAction;
  readonly direction: 'arguments' | 'results';
  /** How many findings. */
  readonly count: number;
}
