// Tools that ask the client something mid-call: an LLM completion (sampling) or user input (elicitation).
// The request goes out on the tool call's own stream; a client that did not declare the capability gets a
// tool error instead of a request it cannot answer.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CreateMessageResultSchema, ElicitResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import type { ToolExtra } from './logging.ts';
import { NO_ARGUMENTS, stringArgument, text, toolError } from './tool.ts';
import type { FixtureTool } from './tool.ts';

type RequestedSchema = ElicitRequestFormParams['requestedSchema'];

async function elicit(server: McpServer, extra: ToolExtra, message: string, requestedSchema: RequestedSchema) {
  if (server.server.getClientCapabilities()?.elicitation === undefined) return toolError('The client does not support elicitation');
  const result = await extra.sendRequest({ method: 'elicitation/create', params: { message, requestedSchema } }, ElicitResultSchema);
  return text(`Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
}

function samplingTool(server: McpServer): FixtureTool {
  return {
    definition: {
      name: 'test_sampling',
      description: 'Asks the client to sample an LLM with the given prompt.',
      inputSchema: { type: 'object', properties: { prompt: { type: 'string', description: 'The prompt to send to the LLM' } }, required: ['prompt'] },
    },
    call: async (args, extra) => {
      const prompt = stringArgument(args, 'prompt');
      if (prompt === undefined) return toolError('Argument "prompt" (string) is required');
      if (server.server.getClientCapabilities()?.sampling === undefined) return toolError('The client does not support sampling');
      const result = await extra.sendRequest({
        method: 'sampling/createMessage',
        params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 },
      }, CreateMessageResultSchema);
      const reply = result.content.type === 'text' ? result.content.text : `[${result.content.type} content]`;
      return text(`LLM response: ${reply}`);
    },
  };
}

function elicitationTool(server: McpServer): FixtureTool {
  return {
    definition: {
      name: 'test_elicitation',
      description: 'Asks the user for a username and an email address.',
      inputSchema: { type: 'object', properties: { message: { type: 'string', description: 'The message to show the user' } }, required: ['message'] },
    },
    call: (args, extra) => {
      const message = stringArgument(args, 'message');
      if (message === undefined) return Promise.resolve(toolError('Argument "message" (string) is required'));
      return elicit(server, extra, message, {
        type: 'object',
        properties: {
          username: { type: 'string', description: "User's response" },
          email: { type: 'string', description: "User's email address" },
        },
        required: ['username', 'email'],
      });
    },
  };
}

// SEP-1034: every primitive field type carries a default the client can prefill.
function defaultsTool(server: McpServer): FixtureTool {
  return {
    definition: {
      name: 'test_elicitation_sep1034_defaults',
      description: 'Elicits one field of each primitive type, each with a default.',
      inputSchema: NO_ARGUMENTS,
    },
    call: (_args, extra) => elicit(server, extra, 'Please review these details (defaults are filled in)', {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'User name', default: 'John Doe' },
        age: { type: 'integer', description: 'User age', default: 30 },
        score: { type: 'number', description: 'User score', default: 95.5 },
        status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
        verified: { type: 'boolean', description: 'Verification status', default: true },
      },
    }),
  };
}

// SEP-1330: the five ways to offer choices: plain or titled, single or multiple, and the deprecated enumNames.
function enumsTool(server: McpServer): FixtureTool {
  return {
    definition: { name: 'test_elicitation_sep1330_enums', description: 'Elicits one field of each enum variant.', inputSchema: NO_ARGUMENTS },
    call: (_args, extra) => elicit(server, extra, 'Please pick from each list', {
      type: 'object',
      properties: {
        untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
        titledSingle: {
          type: 'string',
          oneOf: [{ const: 'value1', title: 'First Option' }, { const: 'value2', title: 'Second Option' }, { const: 'value3', title: 'Third Option' }],
        },
        legacyEnum: { type: 'string', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
        untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
        titledMulti: {
          type: 'array',
          items: {
            anyOf: [{ const: 'value1', title: 'First Choice' }, { const: 'value2', title: 'Second Choice' }, { const: 'value3', title: 'Third Choice' }],
          },
        },
      },
    }),
  };
}

export function serverRequestTools(server: McpServer): readonly FixtureTool[] {
  return [samplingTool(server), elicitationTool(server), defaultsTool(server), enumsTool(server)];
}
