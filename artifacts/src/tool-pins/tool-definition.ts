// The parts of an MCP tool definition a review pins, and their hashes. A hash is the sha256 of the
// part's canonical JSON (object keys sorted at every depth, no spaces), so the same definition
// hashes the same whichever server, SDK or key order produced it. The name is not hashed: it is the
// key the definition is pinned under (and on an aggregated virtual server the client sees it prefixed).
import { sha256 } from '../manifest.ts';

/** The pinned parts, in the order the lock file lists them. */
export const PINNED_PARTS = ['title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;
export type PinnedPart = (typeof PINNED_PARTS)[number];

export type ToolDefinition = { readonly name: string } & Partial<Readonly<Record<PinnedPart, unknown>>>;

export interface ToolHashes {
  /** sha256 of each part the tool has. */
  readonly parts: Partial<Readonly<Record<PinnedPart, string>>>;
  /** sha256 of all pinned parts together: what the gateway compares. */
  readonly definition: string;
}

/** JSON with object keys sorted at every depth: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item: unknown) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  // Anything JSON cannot hold (undefined, a function) is written as null, as JSON.stringify does in arrays.
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? JSON.stringify(value) : 'null';
}

/** The pinned parts of a tool as a server lists it (anything else it carries, such as `_meta`, is not pinned). */
export function pinnedParts(tool: Readonly<Record<string, unknown>>): Partial<Record<PinnedPart, unknown>> {
  const parts: Partial<Record<PinnedPart, unknown>> = {};
  for (const part of PINNED_PARTS) if (tool[part] !== undefined) parts[part] = tool[part];
  return parts;
}

export function toolHashes(tool: Readonly<Record<string, unknown>>): ToolHashes {
  const parts = pinnedParts(tool);
  const partHashes: Partial<Record<PinnedPart, string>> = {};
  for (const part of PINNED_PARTS) if (part in parts) partHashes[part] = sha256(canonicalJson(parts[part]));
  return { parts: partHashes, definition: sha256(canonicalJson(parts)) };
}
