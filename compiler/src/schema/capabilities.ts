// What an MCP server offers besides tools, as its registry entry declares it: the capabilities its
// `initialize` response advertises, and the requests it sends to clients. Aggregated virtual
// servers advertise what their members declare (Envoy's mcp_router cannot tell), and lint warns
// about what mcp_router cannot carry (compiler/src/ir/aggregation.ts).

export const SERVER_CAPABILITIES = [
  'prompts',
  'resources',
  'resources.subscribe',
  'completions',
  'logging',
  'listChanged',
  'sampling',
  'elicitation',
  'roots',
] as const;

export type ServerCapability = (typeof SERVER_CAPABILITIES)[number];

export const CAPABILITIES_DESCRIPTION =
  'What the server offers besides tools, as its `initialize` response declares it (`prompts`, `resources`, `resources.subscribe`, ' +
  '`completions`, `logging`, `listChanged`), and what it asks of clients during a call (`sampling`, `elicitation`, `roots`). ' +
  'Default: tools only. An aggregated virtual server advertises what its members declare here, so declare what clients should find.';
