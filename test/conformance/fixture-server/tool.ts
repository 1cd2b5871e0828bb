// The shape of one fixture tool: its listing exactly as sent on the wire (so JSON Schema keywords survive
// untouched) and its handler.
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { SessionLog, ToolExtra } from './logging.ts';

export interface SessionContext {
  log: SessionLog;
  // Ends the SSE stream carrying this request's response; the client resumes it with Last-Event-ID.
  closeRequestStream: (extra: ToolExtra) => void;
}

export interface FixtureTool {
  definition: Tool;
  call: (args: Record<string, unknown>, extra: ToolExtra, session: SessionContext) => Promise<CallToolResult>;
}

export const NO_ARGUMENTS: Tool['inputSchema'] = { type: 'object', properties: {} };

export function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

export function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

// A required string argument, or undefined when it is missing or not a string.
export function stringArgument(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' ? value : undefined;
}
