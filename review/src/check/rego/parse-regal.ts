// Parses `regal lint --format json`.
import { firstLines } from './parse-opa.ts';
import type { Checked, RegalViolation } from './rego-facts.ts';

interface RegalJson {
  violations?: {
    title?: string;
    description?: string;
    category?: string;
    location?: { file?: string; row?: number; col?: number };
    related_resources?: { description?: string; ref?: string }[];
  }[];
}

export function parseRegal(stdout: string, stderr: string): Checked<RegalViolation[]> {
  let json: RegalJson;
  try {
    json = JSON.parse(stdout) as RegalJson;
  } catch {
    return { problem: `regal lint gave no report: ${firstLines(stderr || stdout)}` };
  }
  return {
    value: (json.violations ?? []).map((v) => {
      const documentation = v.related_resources?.find((r) => r.description === 'documentation')?.ref;
      return {
        rule: v.title ?? 'regal',
        category: v.category ?? '',
        description: v.description ?? '',
        location: { file: v.location?.file ?? 'policies', line: v.location?.row ?? 1, column: Math.max(1, v.location?.col ?? 1) },
        ...(documentation ? { documentation } : {}),
      };
    }),
  };
}
