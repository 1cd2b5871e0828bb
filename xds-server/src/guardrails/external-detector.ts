// An external detector: an HTTP service that speaks the request/response shape of Microsoft
// Presidio's analyzer (`POST /analyze`), so a team can plug in a model-based detector without
// changing Gatehouse. Request: `{"text": "...", "language": "en", "entities": [...], "score_threshold": 0.5}`
// (entities only when the rule names some). Response: a JSON array of
// `{"entity_type": "EMAIL_ADDRESS", "start": 12, "end": 29, "score": 0.85}`, offsets in UTF-16 code
// units of `text` (what JavaScript and Presidio's Python `str` agree on for the BMP).
// A timeout, a non-2xx status or an unreadable answer is a failure; what it means is the rule's
// `onFailure` (fail closed by default).
import type { ExternalDetector } from '../../../artifacts/src/guardrails/guardrail-set.ts';
import type { Finding } from './detectors/finding.ts';

export type ExternalResult = { ok: true; findings: Finding[] } | { ok: false; reason: string };

export async function callExternalDetector(service: ExternalDetector, text: string, minConfidence: number): Promise<ExternalResult> {
  const body = {
    text,
    language: service.language,
    ...(service.entities.length > 0 ? { entities: service.entities } : {}),
    score_threshold: minConfidence,
  };
  let response: Response;
  try {
    response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(service.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return { ok: false, reason: timedOut ? `no answer within ${String(service.timeoutMs)} ms` : 'unreachable' };
  }
  if (!response.ok) return { ok: false, reason: `HTTP ${String(response.status)}` };
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    return { ok: false, reason: 'the answer is not JSON' };
  }
  if (!Array.isArray(parsed)) return { ok: false, reason: 'the answer is not an array of findings' };
  const findings: Finding[] = [];
  for (const item of parsed as unknown[]) {
    const f = item as { entity_type?: unknown; start?: unknown; end?: unknown; score?: unknown } | null;
    if (typeof f?.start !== 'number' || typeof f.end !== 'number' || typeof f.score !== 'number') {
      return { ok: false, reason: 'a finding lacks start, end or score' };
    }
    if (f.start < 0 || f.end > text.length || f.start >= f.end) continue;
    findings.push({ start: f.start, end: f.end, confidence: f.score, ...(typeof f.entity_type === 'string' ? { label: f.entity_type.slice(0, 64) } : {}) });
  }
  return { ok: true, findings };
}
