// Gateway: an Envoy listener serving virtual servers to one fleet.
import { Type, type Static } from '@sinclair/typebox';
import { GatewayAudit } from './audit.ts';
import { DurationOf, NameRef, documentSchema } from './common.ts';
import { GatewayTls } from './gateway-tls.ts';
import { SubjectLimitsOf } from './subject-limits.ts';

export const GatewaySpec = Type.Object(
  {
    fleet: NameRef('The fleet: Envoys whose node `cluster` is this name receive this gateway'),
    listener: Type.Object(
      {
        address: Type.String({ pattern: '^[0-9.]+$|^[0-9a-fA-F:]+$', description: 'IP address Envoy binds.' }),
        port: Type.Integer({ minimum: 1, maximum: 65535, description: 'TCP port Envoy listens on for MCP clients.' }),
      },
      { additionalProperties: false, description: 'Where Envoy listens for MCP clients.' },
    ),
    publicUrl: Type.String({
      pattern: '^https?://[^\\s/?#@]+$',
      description: 'The base URL clients dial, without a path. Resource URLs are `<publicUrl>/mcp/<virtual server>`.',
    }),
    allowedHosts: Type.Optional(
      Type.Array(Type.String({ pattern: '^(\\*|[a-z0-9.*-]+(:[0-9]+)?|\\[[0-9a-f:.]+\\](:[0-9]+)?)$' }), {
        minItems: 1,
        description:
          'Host headers accepted besides the public URL\'s host (`host`, `host:port`, `*.domain`). A request naming any other Host is refused ' +
          'with 403 before it reaches a server: DNS-rebinding protection. `*` accepts every Host (turns the check off). Default: none.',
      }),
    ),
    virtualServers: Type.Optional(
      Type.Array(NameRef('A VirtualServer'), { description: 'The virtual servers served here. Default: all that do not name other gateways.' }),
    ),
    maxRequestBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 10485760, description: 'Largest MCP request body. Default 65536.' })),
    trustedProxyHops: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 10,
        description:
          'How many proxies in front of the gateway append to `X-Forwarded-For` and are trusted to: the client address is read that many hops ' +
          'from the right. MCP servers receive only that address. Default 0: the client is the peer that connected.',
      }),
    ),
    authz: Type.Optional(
      Type.Object(
        {
          timeout: Type.Optional(DurationOf('How long Envoy waits for the policy decision before failing closed. Default 250ms')),
          staticDecisions: Type.Optional(
            Type.Union([Type.Literal('rbac'), Type.Literal('ext_authz')], {
              description:
                'Where tool calls that the grants and organisation rules decide from the caller alone are decided: `rbac` (Envoy\'s RBAC ' +
                'filter, compiled from the policy; no control-plane call) or `ext_authz` (every request asks the control plane). Default ext_authz.',
            }),
          ),
        },
        { additionalProperties: false, description: 'The ext_authz call to the control plane. Default timeout 250ms.' },
      ),
    ),
    tracing: Type.Optional(
      Type.Object(
        {
          collector: Type.String({ pattern: '^[A-Za-z0-9.-]+:[0-9]+$', description: 'OTLP/gRPC collector, `host:port`.' }),
          samplingPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'Percentage of requests traced.' })),
        },
        { additionalProperties: false, description: 'Sends traces of MCP requests to an OpenTelemetry collector. Left out: no tracing.' },
      ),
    ),
    audit: Type.Optional(GatewayAudit),
    tls: Type.Optional(GatewayTls),
    limits: Type.Optional(SubjectLimitsOf('The limits of every virtual server served here, unless it sets its own.')),
  },
  { additionalProperties: false, description: 'The listener, its public URL, and what it serves.' },
);

export const GatewayDocument = documentSchema('Gateway', GatewaySpec, 'An Envoy listener, in one fleet, serving virtual servers.');

export type GatewaySpec = Static<typeof GatewaySpec>;
