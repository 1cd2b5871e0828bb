// Rules on Guardrails: what they apply to exists, each detector carries exactly the settings of its
// type, and every organisation pattern compiles and cannot backtrack catastrophically (every tool
// call it covers runs through it).
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { GuardrailDetector } from '../../schema/guardrail.ts';
import { closest } from '../../util/closest.ts';
import { isGlob, selectTools } from '../../util/glob.ts';
import { checkRegexSafety } from '../../util/regex-safety.ts';
import type { RegistryDocument } from '../registry-document.ts';
import type { RuleContext } from './context.ts';

const SETTING_OF: Readonly<Partial<Record<GuardrailDetector['type'], 'words' | 'patterns' | 'service'>>> = {
  words: 'words',
  regex: 'patterns',
  external: 'service',
};

export function guardrails(ctx: RuleContext): Diagnostic[] {
  return ctx.docs.Guardrail.flatMap((doc) => [...targets(ctx, doc), ...doc.spec.detectors.flatMap((d, i) => detector(doc, d, i))]);
}

function targets(ctx: RuleContext, doc: RegistryDocument<'Guardrail'>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { servers = [], tools = [], virtualServers = [] } = doc.spec.appliesTo;
  if (servers.length + tools.length + virtualServers.length === 0) {
    out.push({
      code: 'guardrail-no-target',
      severity: 'error',
      message: `Guardrail "${doc.name}" applies to nothing`,
      location: doc.at(['appliesTo'], true),
      hint: 'Name at least one of appliesTo.servers, appliesTo.tools or appliesTo.virtualServers.',
    });
  }
  const known = ctx.byName('McpServer');
  const unknown = (kind: 'McpServer' | 'VirtualServer', name: string, path: (string | number)[]): void => {
    const names = [...ctx.byName(kind).keys()];
    if (names.includes(name) || ctx.isInvalid(kind, name)) return;
    const guess = closest(name, names);
    out.push({
      code: 'unknown-reference',
      severity: 'error',
      message: `Guardrail "${doc.name}" refers to ${kind} "${name}", which does not exist${guess ? ` (did you mean "${guess}"?)` : ''}`,
      location: doc.at(path),
    });
  };
  servers.forEach((s, i) => unknown('McpServer', s, ['appliesTo', 'servers', i]));
  virtualServers.forEach((v, i) => unknown('VirtualServer', v, ['appliesTo', 'virtualServers', i]));
  tools.forEach((entry, i) => {
    unknown('McpServer', entry.server, ['appliesTo', 'tools', i, 'server']);
    const names = known.get(entry.server)?.spec.tools?.map((t) => t.name);
    if (!names) return;
    entry.tools.forEach((selector, j) => {
      if (selectTools(selector, names).length > 0) return;
      out.push({
        code: 'unknown-tool',
        severity: 'error',
        message: `Guardrail "${doc.name}": ${isGlob(selector) ? `"${selector}" matches no tool` : `no tool "${selector}"`} of McpServer "${entry.server}"`,
        location: doc.at(['appliesTo', 'tools', i, 'tools', j]),
        hint: `Tools of ${entry.server}: ${names.join(', ')}.`,
      });
    });
  });
  return out;
}

function detector(doc: RegistryDocument<'Guardrail'>, d: GuardrailDetector, i: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const needed = SETTING_OF[d.type];
  for (const setting of ['words', 'patterns', 'service'] as const) {
    const present = d[setting] !== undefined;
    if (setting === needed && !present) {
      out.push({
        code: 'guardrail-detector-settings',
        severity: 'error',
        message: `Guardrail "${doc.name}": a \`${d.type}\` detector needs \`${setting}\``,
        location: doc.at(['detectors', i, 'type']),
      });
    } else if (setting !== needed && present) {
      out.push({
        code: 'guardrail-detector-settings',
        severity: 'error',
        message: `Guardrail "${doc.name}": a \`${d.type}\` detector does not use \`${setting}\``,
        location: doc.at(['detectors', i, setting], true),
        hint: needed ? `A \`${d.type}\` detector takes \`${needed}\`.` : `A \`${d.type}\` detector takes no list or service.`,
      });
    }
  }
  d.patterns?.forEach((pattern, j) => {
    const verdict = checkRegexSafety(pattern);
    if (verdict.ok) return;
    const invalid = !isValid(pattern);
    out.push({
      code: invalid ? 'guardrail-invalid-regex' : 'guardrail-unsafe-regex',
      severity: 'error',
      message:
        `Guardrail "${doc.name}": pattern ${JSON.stringify(pattern)} ` +
        `${invalid ? 'is not a regular expression' : 'could backtrack catastrophically'}: ${verdict.reason}`,
      location: doc.at(['detectors', i, 'patterns', j]),
      ...(invalid ? {} : { hint: 'Rewrite it without a repeat inside a repeated group, overlapping repeated alternatives, or backreferences.' }),
    });
  });
  return out;
}

function isValid(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
