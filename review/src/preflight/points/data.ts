// Points 2, 3 and 9: audit retention, data sovereignty, and guardrails on servers that handle
// personal data.
import type { IrGateway, IrServer } from '../../../../compiler/src/ir/types.ts';
import { durationMs, formatDuration } from '../durations.ts';
import { failed, judged, notApplicable, type PreflightPoint } from '../point.ts';
import { gatewaysServing } from '../serving.ts';

export const auditRetention: PreflightPoint = {
  id: 'audit-retention',
  title: 'Audit log retention',
  check({ ir }) {
    const minimum = ir.checkSettings.governance?.auditRetention;
    if (minimum === undefined) {
      const fix = 'Declare the least retention in CheckSettings spec.governance.auditRetention (`365d`).';
      return failed(['CheckSettings declares no governance.auditRetention'], fix);
    }
    if (!ir.gateways.length) return notApplicable(['the registry declares no gateways']);
    const least = durationMs(minimum);
    const problems: string[] = [];
    const fine: string[] = [];
    for (const gateway of ir.gateways) {
      const kept = keptFor(gateway);
      const where = `gateway ${gateway.name} (${gateway.source.file}:${gateway.source.line})`;
      if (kept.ms < least) problems.push(`${where} keeps its audit log ${kept.text}, less than the minimum ${minimum}`);
      else fine.push(`${where} keeps its audit log ${kept.text} (minimum ${minimum})`);
    }
    return judged(problems, fine, 'Raise the gateway\'s audit.retain (maxAge, or files × rotate.maxAge) to the minimum, or remove retain to keep every file.');
  },
};

/** How long a gateway's audit files are surely kept: retain.maxAge, and at most retain.files files of rotate.maxAge each. */
function keptFor(gateway: IrGateway): { ms: number; text: string } {
  const { retainAgeMs, retainFiles, rotateAgeMs } = gateway.audit;
  const bounds: { ms: number; text: string }[] = [];
  if (retainAgeMs !== undefined) bounds.push({ ms: retainAgeMs, text: `${formatDuration(retainAgeMs)} (retain.maxAge)` });
  if (retainFiles !== undefined) {
    const ms = retainFiles * rotateAgeMs;
    bounds.push({ ms, text: `${formatDuration(ms)} (${retainFiles} files × ${formatDuration(rotateAgeMs)}; less if files rotate by size first)` });
  }
  const [shortest] = bounds.sort((a, b) => a.ms - b.ms);
  return shortest ?? { ms: Number.POSITIVE_INFINITY, text: 'forever (no retain limit)' };
}

export const dataSovereignty: PreflightPoint = {
  id: 'data-sovereignty',
  title: 'Data sovereignty',
  check({ ir, resolved }) {
    const allowed = ir.checkSettings.allowedRegions;
    if (!allowed.length) {
      const fix = 'List the regions servers may run in: CheckSettings spec.upstreams.allowedRegions (`eu-*`).';
      return failed(['CheckSettings declares no upstreams.allowedRegions'], fix);
    }
    const problems: string[] = [];
    const fine: string[] = [];
    for (const server of ir.servers) {
      const where = `server ${server.name} (${server.source.file}:${server.source.line})`;
      if (allowed.some((pattern) => matches(pattern, server.region))) fine.push(`${where} runs in ${server.region}`);
      else problems.push(`${where} runs in ${server.region}, outside ${allowed.join(', ')}`);
      const addresses = resolved?.get(server.upstream.host);
      if (addresses && 'problem' in addresses) problems.push(`${where}: its upstream ${server.upstream.host} does not resolve (${addresses.problem})`);
      else if (addresses) fine.push(`${where}: its upstream ${server.upstream.host} resolves to ${addresses.join(', ')}`);
    }
    const fix = 'Move the server to an allowed region (spec.region), or allow its region in CheckSettings upstreams.allowedRegions after review.';
    return judged(problems, fine, fix);
  },
};

const matches = (pattern: string, value: string) =>
  new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`).test(value);

export const piiGuardrails: PreflightPoint = {
  id: 'pii-guardrails',
  title: 'Guardrails on servers that handle personal data',
  check({ ir }) {
    const declared = ir.checkSettings.governance?.piiServers;
    if (declared === undefined) {
      return failed(
        ['CheckSettings declares no governance.piiServers'],
        'List the servers that handle personal data in CheckSettings spec.governance.piiServers (`[]` when none does).',
      );
    }
    const servers = ir.servers.filter((s) => declared.includes(s.name));
    const unknown = declared.filter((name) => !ir.servers.some((s) => s.name === name));
    if (!servers.length && !unknown.length) return notApplicable(['no server is declared to handle personal data']);
    const problems = unknown.map((name) => `governance.piiServers names ${name}, which is not a registered server`);
    const fine: string[] = [];
    for (const server of servers) {
      const gateways = gatewaysServing(ir, server.name);
      problems.push(...rawTools(server, gateways));
      const on = gateways.map((g) => g.name).join(', ') || 'no gateway';
      if (!problems.length) fine.push(`server ${server.name}: every tool's arguments are redacted or digested in the audit log on ${on}`);
    }
    return judged(problems, fine, 'Record the arguments of PII servers\' tools redacted (audit.redact the personal fields) or as a digest, never raw.');
  },
};

/** The tools of a server whose arguments are logged raw on some gateway. */
function rawTools(server: IrServer, gateways: readonly IrGateway[]): string[] {
  return server.tools
    .filter((tool) => tool.audit?.arguments === 'raw')
    .map((tool) => `tool ${server.name}/${tool.name} (${tool.source.file}:${tool.source.line}) records its arguments raw on ${names(gateways)}`);
}

function names(gateways: readonly IrGateway[]): string {
  return gateways.map((g) => g.name).join(', ') || 'every gateway';
}
