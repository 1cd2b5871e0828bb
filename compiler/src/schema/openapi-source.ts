// McpServer.spec.openapi: a REST service described by an OpenAPI 3.0/3.1 document, whose operations
// become the server's tools. Envoy's mcp_json_rest_bridge turns each tools/call into the REST request
// (compiler/src/openapi/, compiler/src/emit/xds/rest-bridge.ts); no MCP server runs for it.
import { Type, type Static } from '@sinclair/typebox';
import { RiskLevel, ToolName } from './common.ts';

const OperationRule = Type.Object(
  {
    operationId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'An operationId, or a glob with `*`.' })),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A tag the operation carries.' })),
    path: Type.Optional(
      Type.String({ pattern: '^/', maxLength: 1000, description: 'A path template as the document writes it (`/items/{id}`), or a glob with `*`.' }),
    ),
  },
  { additionalProperties: false, minProperties: 1, description: 'Matches an operation when every field given matches.' },
);

export const OpenApiSource = Type.Object(
  {
    file: Type.Optional(
      Type.String({
        pattern: '^[^\\s]+$',
        maxLength: 1000,
        description: 'The OpenAPI document (YAML or JSON, at most 1 MiB), by its path relative to the repository root. Exactly one of file and url.',
      }),
    ),
    url: Type.Optional(
      Type.String({
        pattern: '^https?://[^\\s]+$',
        maxLength: 2048,
        description: 'An OpenAPI document fetched at compile time (and by lint); `sha256` pins its content. Exactly one of file and url.',
      }),
    ),
    sha256: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{64}$',
        description: 'The SHA-256 of the document at `url` (hex). Required with url; a different document is an error.',
      }),
    ),
    include: Type.Optional(
      Type.Array(OperationRule, {
        maxItems: 200,
        description: 'The operations to offer as tools; default every operation. An operation is offered when a rule matches.',
      }),
    ),
    exclude: Type.Optional(Type.Array(OperationRule, { maxItems: 200, description: 'Operations left out even when included.' })),
    rename: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 200 }), ToolName, {
        description: 'Tool names by operationId, for operations whose operationId is not the tool name you want. Default: the operationId.',
      }),
    ),
    risk: Type.Optional(
      Type.Object(
        { read: Type.Optional(RiskLevel), write: Type.Optional(RiskLevel) },
        {
          additionalProperties: false,
          description:
            'The risk of generated tools not listed in `tools`: `read` for GET operations (default low), `write` for the others (default high).',
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Serve a REST service as MCP: its OpenAPI document\'s operations become this server\'s tools (name from operationId, description ' +
      'from summary/description, input schema from parameters and the JSON request body), carried by Envoy\'s mcp_json_rest_bridge. ' +
      '`upstream.url` is the REST service, and `tools` then only sets risk, cost and audit per generated tool. What the bridge cannot carry ' +
      'is an `openapi-unsupported` error: security other than the injected credential, parameter styles other than simple (path, header) and ' +
      'form with explode (query), cookies, non-JSON bodies, several servers, HEAD/OPTIONS/TRACE, and membership of an aggregated virtual server.',
  },
);

export type OpenApiSource = Static<typeof OpenApiSource>;
