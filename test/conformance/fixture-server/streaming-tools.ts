// Tools that send messages while they run: log lines, progress, and one that drops its response stream
// mid-call so the client has to resume it (SSE polling, SEP-1699).
import { setTimeout as delay } from 'node:timers/promises';
import { NO_ARGUMENTS, text } from './tool.ts';
import type { FixtureTool } from './tool.ts';

const STEP_MS = 50;

const withLogging: FixtureTool = {
  definition: { name: 'test_tool_with_logging', description: 'Logs three info lines while it runs.', inputSchema: NO_ARGUMENTS },
  call: async (_args, extra, session) => {
    await session.log.log(extra, 'info', 'Tool execution started');
    await delay(STEP_MS);
    await session.log.log(extra, 'info', 'Tool processing data');
    await delay(STEP_MS);
    await session.log.log(extra, 'info', 'Tool execution completed');
    return text('Tool with logging executed successfully');
  },
};

const withProgress: FixtureTool = {
  definition: { name: 'test_tool_with_progress', description: 'Reports progress 0, 50 and 100 of 100.', inputSchema: NO_ARGUMENTS },
  call: async (_args, extra) => {
    const progressToken = extra._meta?.progressToken;
    for (const [step, progress] of [0, 50, 100].entries()) {
      if (step > 0) await delay(STEP_MS);
      if (progressToken !== undefined) {
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, total: 100 } });
      }
    }
    return text(`Tool with progress executed successfully${progressToken === undefined ? ' (no progress token was given)' : ''}`);
  },
};

// The result is produced only after the stream that would have carried it is gone, so the client gets it
// only by resuming with Last-Event-ID. The stream must carry an event id before it is closed: the SDK sends
// a priming event for clients on protocol 2025-11-25 or later; for others a log line does (if it is logged).
const reconnection: FixtureTool = {
  definition: {
    name: 'test_reconnection',
    description: 'Closes its response stream mid-call; the result is delivered when the client reconnects.',
    inputSchema: NO_ARGUMENTS,
  },
  call: async (_args, extra, session) => {
    const resumable = extra.closeSSEStream !== undefined
      || await session.log.log(extra, 'info', 'Closing this response stream; reconnect with Last-Event-ID for the result');
    if (resumable) session.closeRequestStream(extra);
    await delay(2 * STEP_MS);
    return text(`Reconnection test completed${resumable ? ' after the response stream was closed' : ''}`);
  },
};

export const STREAMING_TOOLS: readonly FixtureTool[] = [withLogging, withProgress, reconnection];
