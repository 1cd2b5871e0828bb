// Envoy 1.40's mcp_router rebuilds each tool of an aggregated tools/list and writes an empty JSON
// object as `null`: a tool whose input schema has no properties arrives as
// `"inputSchema": {"type": "object", "properties": null}`, which the MCP SDK client rejects, and
// with it the whole list. `null` is never a valid value of these JSON Schema keywords, so putting
// back the empty object or list restores exactly what the member sent.
import { isRecord, rewriteMessages } from './json-rpc-body.ts';

/** Keywords whose value is a map of schemas (an empty one is `{}`). */
const MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas', 'dependentRequired']);
/** Keywords whose value is one schema (an empty one, `{}`, accepts anything). */
const SCHEMA_KEYWORDS = new Set([
  'additionalProperties',
  'items',
  'additionalItems',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
]);
/** Keywords whose value is a list (an empty one is `[]`). */
const LIST_KEYWORDS = new Set(['required', 'allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Tool fields that are optional objects or lists: a `null` one is dropped. */
const OPTIONAL_TOOL_FIELDS = new Set(['annotations', 'icons', '_meta', 'outputSchema', 'title', 'description']);

function repairSchema(schema: unknown, count: () => void): unknown {
  if (Array.isArray(schema)) return schema.map((item) => repairSchema(item, count));
  if (!isRecord(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => {
      if (value === null && (MAP_KEYWORDS.has(key) || SCHEMA_KEYWORDS.has(key))) {
        count();
        return [key, {}];
      }
      if (value === null && LIST_KEYWORDS.has(key)) {
        count();
        return [key, []];
      }
      // `const`, `default`, `enum` and `examples` hold data, not schemas: leave them as they are.
      if (key === 'const' || key === 'default' || key === 'enum' || key === 'examples') return [key, value];
      return [key, repairSchema(value, count)];
    }),
  );
}

function repairTool(tool: unknown, count: () => void): unknown {
  if (!isRecord(tool)) return tool;
  const repaired: Record<string, unknown> = Object.fromEntries(
    Object.entries(tool).filter(([field, value]) => {
      const dropped = value === null && OPTIONAL_TOOL_FIELDS.has(field);
      if (dropped) count();
      return !dropped;
    }),
  );
  if (repaired.inputSchema === null) {
    repaired.inputSchema = { type: 'object' };
    count();
  }
  repaired.inputSchema = repairSchema(repaired.inputSchema, count);
  if ('outputSchema' in repaired) repaired.outputSchema = repairSchema(repaired.outputSchema, count);
  return repaired;
}

/** The body with every tool's `null` schema parts restored; `repaired` counts the values put back. */
export function repairToolSchemas(body: string): { body: string; repaired: number } {
  let repaired = 0;
  const count = () => {
    repaired += 1;
  };
  const out = rewriteMessages(body, (message) => {
    if (!isRecord(message) || !isRecord(message.result) || !Array.isArray(message.result.tools)) return undefined;
    const tools: unknown[] = message.result.tools;
    return { ...message, result: { ...message.result, tools: tools.map((tool) => repairTool(tool, count)) } };
  });
  return { body: repaired > 0 ? out : body, repaired };
}
