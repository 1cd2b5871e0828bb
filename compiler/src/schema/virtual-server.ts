// VirtualServer: one MCP endpoint that composes tools from one or more MCP servers.
import { Type, type Static } from '@sinclair/typebox';
import { NameRef, ToolSelector, documentSchema } from './common.ts';
import { SubjectLimitsOf } from './subject-limits.ts';

export const VirtualServerSpec = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 2000, description: 'What this endpoint is for.' }),
    members: Type.Array(
      Type.Object(
        {
          server: NameRef('The McpServer'),
          tools: Type.Array(ToolSelector, { minItems: 1, description: 'The tools of that server to expose: names or globs.' }),
        },
        { additionalProperties: false },
      ),
      {
        maxItems: 64,
        description:
          'The servers and tools this endpoint exposes. With one member, clients see the tool names unchanged; with several, as `<server>__<tool>`.',
      },
    ),
    gateways: Type.Optional(Type.Array(NameRef('A Gateway'), { minItems: 1, description: 'The gateways that serve it. Default: every gateway.' })),
    limits: Type.Optional(SubjectLimitsOf('This virtual server\'s own limits: each one set here replaces the gateway\'s.')),
  },
  { additionalProperties: false, description: 'The servers and tools this endpoint exposes, and where it is served.' },
);

export const VirtualServerDocument = documentSchema(
  'VirtualServer',
  VirtualServerSpec,
  'An MCP endpoint, served at /mcp/<name>, composing tools from one or more MCP servers.',
);

export type VirtualServerSpec = Static<typeof VirtualServerSpec>;
