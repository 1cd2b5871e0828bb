// Every fixture tool, served through the SDK's low-level request handlers rather than McpServer.registerTool:
// the listing must carry hand-written JSON Schemas verbatim, which a Zod-derived schema cannot.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { CONTENT_TOOLS } from './content-tools.ts';
import { serverRequestTools } from './server-requests.ts';
import { STREAMING_TOOLS } from './streaming-tools.ts';
import type { SessionContext } from './tool.ts';

export function installTools(server: McpServer, session: SessionContext): void {
  const tools = [...CONTENT_TOOLS, ...STREAMING_TOOLS, ...serverRequestTools(server)];
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map((t) => t.definition) }));
  server.server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
    const tool = tools.find((t) => t.definition.name === request.params.name);
    if (tool === undefined) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    return tool.call(request.params.arguments ?? {}, extra, session);
  });
}
