// The MCP Registry API v0.1 shapes, written down from the published specification (the registry's
// OpenAPI document and server.json schema, MIT) as the constraints a client relies on, to check what
// the control plane serves. Not the upstream schema itself: only its requirements, in our words.
import { Ajv, type ValidateFunction } from 'ajv';

const remote = {
  type: 'object',
  required: ['type', 'url'],
  properties: {
    type: { enum: ['streamable-http', 'sse'] },
    // A URL, or a template starting with a {variable}.
    url: { type: 'string', pattern: '^(https?://[^\\s]+|\\{[a-zA-Z_][a-zA-Z0-9_]*\\}[^\\s]*)$' },
    headers: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
  },
};

/** server.json: name, description and version are required; names are `reverse.dns/name`. */
const serverDetail = {
  type: 'object',
  required: ['name', 'description', 'version'],
  properties: {
    name: { type: 'string', minLength: 3, maxLength: 200, pattern: '^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$' },
    description: { type: 'string', minLength: 1, maxLength: 100 },
    title: { type: 'string', minLength: 1, maxLength: 100 },
    version: { type: 'string', minLength: 1, maxLength: 255, not: { const: 'latest' } },
    remotes: { type: 'array', items: remote },
    packages: { type: 'array' },
    _meta: { type: 'object' },
  },
};

/** A list entry or a detail answer: the server, and registry metadata under reverse-DNS keys. */
const serverResponse = {
  type: 'object',
  required: ['server'],
  properties: {
    server: serverDetail,
    _meta: {
      type: 'object',
      propertyNames: { pattern: '^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$' },
      properties: {
        'io.modelcontextprotocol.registry/official': {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { enum: ['active', 'deprecated', 'deleted'] },
            statusMessage: { type: 'string', maxLength: 500 },
            statusChangedAt: { type: 'string' },
            publishedAt: { type: 'string' },
            updatedAt: { type: 'string' },
            isLatest: { type: 'boolean' },
          },
        },
      },
    },
  },
};

const serverList = {
  type: 'object',
  required: ['servers'],
  properties: {
    servers: { type: 'array', items: serverResponse },
    metadata: { type: 'object', properties: { nextCursor: { type: 'string' }, count: { type: 'integer', minimum: 0 } } },
  },
};

const errorBody = { type: 'object', required: ['error'], properties: { error: { type: 'string', minLength: 1 } } };

export interface RegistryApiValidators {
  readonly serverDetail: ValidateFunction;
  readonly serverResponse: ValidateFunction;
  readonly serverList: ValidateFunction;
  readonly error: ValidateFunction;
}

export function registryApiValidators(): RegistryApiValidators {
  const ajv = new Ajv({ allErrors: true, strict: true });
  return {
    serverDetail: ajv.compile(serverDetail),
    serverResponse: ajv.compile(serverResponse),
    serverList: ajv.compile(serverList),
    error: ajv.compile(errorBody),
  };
}

/** Asserts-style helper: the validator's errors as one readable line (empty when valid). */
export function schemaErrors(validate: ValidateFunction, value: unknown): string {
  return validate(value) ? '' : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
}
