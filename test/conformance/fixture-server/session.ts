// One MCP session: an McpServer with every fixture, on a stateful Streamable HTTP transport with its own event
// store (so response streams can be resumed). A new one is made for each initialize request.
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SessionEventStore } from './event-store.ts';
import { SessionLog } from './logging.ts';
import { installPrompts } from './prompts.ts';
import { installResources } from './resources.ts';
import { installTools } from './tools.ts';

// How long a client waits before resuming a stream the server closed (sent in the priming event).
const RETRY_INTERVAL_MS = 200;

export interface SessionHooks {
  onInitialized: (sessionId: string, transport: StreamableHTTPServerTransport) => void;
  onClosed: (sessionId: string) => void;
}

export async function openSession(hooks: SessionHooks): Promise<StreamableHTTPServerTransport> {
  const server = new McpServer(
    { name: 'gatehouse-conformance-fixture', version: '1.0.0' },
    { capabilities: { tools: {}, resources: { subscribe: true }, prompts: {}, logging: {}, completions: {} } },
  );
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: randomUUID,
    eventStore: new SessionEventStore(),
    retryInterval: RETRY_INTERVAL_MS,
    onsessioninitialized: (sessionId) => { hooks.onInitialized(sessionId, transport); },
  });
  transport.onclose = () => {
    if (transport.sessionId !== undefined) hooks.onClosed(transport.sessionId);
  };
  const log = new SessionLog();
  log.install(server);
  installTools(server, {
    log,
    closeRequestStream: (extra) => {
      if (extra.closeSSEStream === undefined) transport.closeSSEStream(extra.requestId);
      else extra.closeSSEStream();
    },
  });
  installResources(server, new Set());
  installPrompts(server);
  await server.connect(transport);
  return transport;
}
