// McpServer: an MCP server the organisation runs or uses, with its tools.
import { Type, type Static } from '@sinclair/typebox';
import { ToolAudit } from './audit.ts';
import { OpenApiSource } from './openapi-source.ts';
import { UpstreamIdentity } from './upstream-identity.ts';
import { CAPABILITIES_DESCRIPTION, SERVER_CAPABILITIES } from './capabilities.ts';
import { DataClassification, DurationOf, NameRef, RiskLevel, StringEnum, ToolName, documentSchema } from './common.ts';

export const McpTool = Type.Object(
  {
    name: ToolName,
    description: Type.Optional(Type.String({ maxLength: 2000, description: 'What the tool does, for reviewers.' })),
    risk: RiskLevel,
    costPerCall: Type.Optional(
      Type.Number({
        minimum: 0,
        description: 'What one allowed call costs, in the currency of your cost reports, charged to the calling team\'s cost center. Default 0.',
      }),
    ),
    audit: Type.Optional(ToolAudit),
  },
  { additionalProperties: false, description: 'One tool of the server.' },
);

/** `toolPinning` of an McpServer. */
export const TOOL_PINNING_MODES = ['auto', 'enforced', 'off'] as const;

export const McpServerSpec = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 2000, description: 'What this server is for.' }),
    owner: Type.Optional(NameRef('The Team that owns this server and reviews new high-risk grants of its tools')),
    upstream: Type.Object(
      {
        url: Type.String({
          pattern: '^https?://[^\\s/?#@]+(/[^\\s?#]*)?$',
          maxLength: 2048,
          description: 'The MCP endpoint (streamable HTTP), for example `https://tickets.internal:8443/mcp`. No user info, query or fragment.',
        }),
        hostHeader: Type.Optional(
          Type.String({
            pattern: '^([a-z0-9.-]+|\\[[0-9a-f:.]+\\])(:[0-9]+)?$',
            maxLength: 260,
            description:
              'The Host header the server receives (`host` or `host:port`), for a server that checks Host against a name other than the one ' +
              'dialled (behind a load balancer, say). Default: the upstream URL\'s authority. The client\'s Host never reaches a server.',
          }),
        ),
        timeout: Type.Optional(DurationOf('How long Envoy waits for the server to answer a request. Default 30s')),
        connectTimeout: Type.Optional(DurationOf('How long Envoy waits to connect to the server. Default 5s')),
        caFile: Type.Optional(
          Type.String({
            pattern: '^/[^\\s]*$',
            description:
              'For https upstreams: the CA bundle on the Envoy hosts that verifies the server certificate. Default /etc/ssl/certs/ca-certificates.crt.',
          }),
        ),
        identity: Type.Optional(UpstreamIdentity),
      },
      { additionalProperties: false, description: 'Where Envoy sends this server\'s traffic.' },
    ),
    dataClassification: DataClassification,
    region: Type.String({ pattern: '^[a-z0-9-]{1,63}$', description: 'Where the server runs and keeps data, for example `eu-west-1`.' }),
    costCenter: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,64}$',
        description:
          'The cost center that pays for running this server; defaults to the owner team\'s. Tool calls are charged to the calling team\'s cost center, ' +
          'and to this one only when no team\'s covers them (no attributed team, or a team without `costCenter`).',
      }),
    ),
    credential: Type.Optional(
      Type.Object(
        {
          secretRef: NameRef(
            'The secret holding the credential: a file of this name in the control plane\'s secrets folder, ' +
              'or the environment variable GATEHOUSE_SECRET_<NAME>',
          ),
          header: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: 'Header Envoy sets upstream. Default `Authorization`.' })),
        },
        {
          additionalProperties: false,
          description:
            'The upstream credential, by reference: the control plane resolves `secretRef` from its secrets folder or environment and Envoy injects it. ' +
            'The secret never appears in the registry or in artifacts.',
        },
      ),
    ),
    tools: Type.Optional(
      Type.Array(McpTool, {
        minItems: 1,
        maxItems: 1000,
        description: 'The tools this server offers (required without `openapi`; with it, settings for some of the generated tools).',
      }),
    ),
    openapi: Type.Optional(OpenApiSource),
    capabilities: Type.Optional(
      Type.Array(StringEnum(SERVER_CAPABILITIES, 'A capability.'), { uniqueItems: true, description: CAPABILITIES_DESCRIPTION }),
    ),
    toolPinning: Type.Optional(
      StringEnum(
        TOOL_PINNING_MODES,
        'Whether only the tool definitions pinned in tools.lock.yaml (`gatehouse discover`) pass the gateway: `enforced` always ' +
          '(with no lock entry, no tool of the server is listed or callable), `off` never, `auto` (the default) when the lock has the server.',
      ),
    ),
  },
  { additionalProperties: false, description: 'Where the server is, how sensitive its data is, and its tools.' },
);

export const McpServerDocument = documentSchema('McpServer', McpServerSpec, 'An MCP server the organisation runs or uses, with its tools.');

export type McpServerSpec = Static<typeof McpServerSpec>;
export type McpTool = Static<typeof McpTool>;
