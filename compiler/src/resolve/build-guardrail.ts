// A Guardrail document into the IR: defaults applied (defaults.ts), each detector a rule with its
// id, and `appliesTo` resolved to the client-facing tools it covers on every virtual server.
import type { GuardrailRule } from '../../../artifacts/src/guardrails/guardrail-set.ts';
import type { IrGuardrail, IrVirtualServer } from '../ir/types.ts';
import type { GuardrailDetector } from '../schema/guardrail.ts';
import { parseDurationMs } from '../util/duration.ts';
import { selectTools } from '../util/glob.ts';
import type { RegistryDocument } from '../validate/registry-document.ts';
import { DEFAULTS } from './defaults.ts';

/** Detectors of what a server sends the model: by default they look at results only. */
const RESULT_DETECTORS: readonly GuardrailDetector['type'][] = ['prompt-injection', 'hidden-text', 'exfiltration-link'];

export function buildGuardrail(doc: RegistryDocument<'Guardrail'>, virtualServers: readonly IrVirtualServer[]): IrGuardrail {
  const { servers = [], tools = [], virtualServers: named = [] } = doc.spec.appliesTo;
  const covered = virtualServers.flatMap((vs) =>
    vs.tools
      .filter(
        (t) =>
          named.includes(vs.name) ||
          servers.includes(t.server) ||
          tools.some((entry) => entry.server === t.server && entry.tools.some((selector) => selectTools(selector, [t.tool]).length > 0)),
      )
      .map((t) => ({ virtualServer: vs.name, publicTool: t.publicName })),
  );
  covered.sort((a, b) => (a.virtualServer + '\0' + a.publicTool < b.virtualServer + '\0' + b.publicTool ? -1 : 1));
  return {
    name: doc.name,
    description: doc.spec.description,
    rules: doc.spec.detectors.map((d, i) => rule(`${doc.name}/${String(i)}`, d)),
    maxBodyBytes: doc.spec.maxBodyBytes ?? DEFAULTS.guardrailMaxBodyBytes,
    tools: covered,
    source: doc.location,
  };
}

function rule(id: string, d: GuardrailDetector): GuardrailRule {
  return {
    id,
    detector: d.type,
    action: d.action,
    direction: d.in ?? (RESULT_DETECTORS.includes(d.type) ? 'results' : 'both'),
    minConfidence: d.minConfidence ?? DEFAULTS.guardrailMinConfidence,
    ...(d.words ? { words: d.words } : {}),
    ...(d.patterns ? { patterns: d.patterns } : {}),
    ...(d.service
      ? {
          external: {
            url: d.service.url,
            timeoutMs: parseDurationMs(d.service.timeout ?? DEFAULTS.guardrailServiceTimeout),
            onFailure: d.service.onFailure ?? DEFAULTS.guardrailServiceOnFailure,
            language: d.service.language ?? DEFAULTS.guardrailServiceLanguage,
            entities: d.service.entities ?? [],
          },
        }
      : {}),
  };
}
