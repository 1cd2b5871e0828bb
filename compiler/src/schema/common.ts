// Building blocks shared by the registry kinds' schemas.
import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';

export const API_VERSION = 'gatehouse.dev/v1alpha1';

/**
 * A name that ends up in Envoy resource names, URL paths and public tool names: a DNS label
 * (lowercase letters, digits and single hyphens). It cannot hold `__`, the separator Envoy's
 * mcp_router puts between a server name and a tool name, nor anything that could inject into xDS.
 */
export const Name = Type.String({
  pattern: '^[a-z]([a-z0-9]|-(?!-)){0,61}[a-z0-9]$|^[a-z]$',
  minLength: 1,
  maxLength: 63,
  description: 'A DNS label: lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit, at most 63 characters.',
});

/** A tool name as MCP allows it: 1–128 of A-Z a-z 0-9 _ - . */
export const ToolName = Type.String({
  pattern: '^[A-Za-z0-9_.-]{1,128}$',
  description: 'The tool name exactly as the MCP server reports it in tools/list (A-Z a-z 0-9 _ - ., at most 128).',
});

/** A tool selector: a tool name, or a glob with `*` (for example `search_*`, or `*` for every tool). */
export const ToolSelector = Type.String({
  pattern: '^[A-Za-z0-9_.*-]{1,128}$',
  description: 'A tool name, or a glob where `*` matches any run of characters (`*` alone selects every tool).',
});

/** A reference to another document (or a named thing) by its name: a DNS label, described as what it names. */
export function NameRef(description: string) {
  return Type.String({ pattern: Name.pattern, minLength: Name.minLength, maxLength: Name.maxLength, description: `${description} (a DNS label).` });
}

/** A duration field, described as what it bounds. */
export function DurationOf(description: string) {
  return Type.String({ pattern: Duration.pattern, description: `${description}. A duration such as \`250ms\`, \`10s\` or \`2m\`.` });
}

export const Duration = Type.String({
  pattern: '^[0-9]+(ms|s|m)$',
  description: 'A duration such as `250ms`, `10s` or `2m`.',
});

/** A string that must be one of a fixed list (a plain JSON Schema `enum`, which reads well in editors and errors). */
export function StringEnum<T extends string>(values: readonly T[], description: string): TUnsafe<T> {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], description });
}

export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const DataClassification = StringEnum(
  CLASSIFICATIONS,
  'Data classification, from least to most sensitive: public, internal, confidential, restricted.',
);

export const RiskLevel = StringEnum(RISK_LEVELS, 'How much damage a wrong call can do: low (read-only), medium, high (writes money or data), critical.');

export const Metadata = Type.Object(
  {
    name: Name,
    labels: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z0-9./-]{1,63}$' }), Type.String({ maxLength: 63 }), {
        description: 'Free-form labels, for your own tooling; Gatehouse ignores them.',
      }),
    ),
  },
  { additionalProperties: false, description: 'The name and labels of this document.' },
);

/** A full registry document: apiVersion, kind, metadata and the kind's spec. */
export function documentSchema(kind: string, spec: TSchema, description: string) {
  return Type.Object(
    {
      $schema: Type.Optional(Type.String({ description: 'Optional JSON Schema reference for editors.' })),
      apiVersion: Type.Literal(API_VERSION, { description: `Always \`${API_VERSION}\`.` }),
      kind: Type.Literal(kind, { description: `The kind of document: \`${kind}\`.` }),
      metadata: Metadata,
      spec,
    },
    { additionalProperties: false, title: kind, description, $id: `https://gatehouse.dev/schemas/${kind}.json` },
  );
}
