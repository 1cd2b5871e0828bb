// One guardrail hit (the shape is part of the artifact contract: the audit record carries it).
export type { GuardrailHit } from '../../../artifacts/src/guardrails/guardrail-set.ts';
