// Resolves the registry's audit settings (schema/audit.ts) into the IR, every default applied.
import type { Static } from '@sinclair/typebox';
import type { IrGatewayAudit, IrToolAudit } from '../ir/types.ts';
import type { GatewayAudit, ToolAudit } from '../schema/audit.ts';
import { DEFAULTS } from './defaults.ts';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `15m`, `24h`, `30d` in milliseconds. */
export function parseLongDurationMs(text: string): number {
  const match = /^([0-9]+)(s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export function resolveGatewayAudit(spec: Static<typeof GatewayAudit> | undefined): IrGatewayAudit {
  return {
    arguments: spec?.arguments ?? DEFAULTS.auditArguments,
    redact: [...new Set(spec?.redact ?? [])].sort(),
    rotateBytes: spec?.rotate?.maxBytes ?? DEFAULTS.auditRotateBytes,
    rotateAgeMs: parseLongDurationMs(spec?.rotate?.maxAge ?? DEFAULTS.auditRotateAge),
    ...(spec?.retain?.files !== undefined ? { retainFiles: spec.retain.files } : {}),
    ...(spec?.retain?.maxAge !== undefined ? { retainAgeMs: parseLongDurationMs(spec.retain.maxAge) } : {}),
    checkpointRecords: spec?.checkpoint?.records ?? DEFAULTS.auditCheckpointRecords,
    checkpointIntervalMs: parseLongDurationMs(spec?.checkpoint?.interval ?? DEFAULTS.auditCheckpointInterval),
  };
}

/** The largest result payload an audit record keeps whole when the tool does not say. */
export const DEFAULT_RESULT_BYTES = 4096;

/** A tool's own audit settings; undefined when it has none (the gateway's apply). */
export function resolveToolAudit(spec: Static<typeof ToolAudit>): IrToolAudit;
export function resolveToolAudit(spec: Static<typeof ToolAudit> | undefined): IrToolAudit | undefined;
export function resolveToolAudit(spec: Static<typeof ToolAudit> | undefined): IrToolAudit | undefined {
  if (!spec) return undefined;
  return {
    ...(spec.arguments ? { arguments: spec.arguments } : {}),
    redact: [...new Set(spec.redact ?? [])].sort(),
    ...(spec.results && spec.results !== 'none' ? { results: spec.results, resultBytes: spec.resultBytes ?? DEFAULT_RESULT_BYTES } : {}),
  };
}
