// Logging for one session: the client's `logging/setLevel` sets a threshold, and tools log on their own request's
// stream, so log lines reach the client while the call is still running (and in order with its result).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { SetLevelRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { LoggingLevel, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const SEVERITY: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

export class SessionLog {
  // Until the client picks a level, everything is sent (the specification leaves the default to the server).
  private threshold: LoggingLevel = 'debug';

  install(server: McpServer): void {
    server.server.setRequestHandler(SetLevelRequestSchema, (request) => {
      this.threshold = request.params.level;
      return {};
    });
  }

  // Sends the line on the request's stream unless it is below the session's level; says whether it was sent.
  async log(extra: ToolExtra, level: LoggingLevel, data: string): Promise<boolean> {
    if (SEVERITY.indexOf(level) < SEVERITY.indexOf(this.threshold)) return false;
    await extra.sendNotification({ method: 'notifications/message', params: { level, logger: 'fixture', data } });
    return true;
  }
}
