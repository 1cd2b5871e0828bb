// Tools that answer at once with one kind of content each, a tool that always fails, and a tool whose input
// schema uses JSON Schema 2020-12 keywords ($schema, $defs, $ref) that must reach the client unchanged.
import { RED_PIXEL_PNG, silentWav } from './media.ts';
import { NO_ARGUMENTS, text, toolError } from './tool.ts';
import type { FixtureTool } from './tool.ts';

const simpleText: FixtureTool = {
  definition: { name: 'test_simple_text', description: 'Returns one text block.', inputSchema: NO_ARGUMENTS },
  call: () => Promise.resolve(text('This is a simple text response for testing.')),
};

const image: FixtureTool = {
  definition: { name: 'test_image_content', description: 'Returns a 1x1 PNG image.', inputSchema: NO_ARGUMENTS },
  call: () => Promise.resolve({ content: [{ type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' }] }),
};

const audio: FixtureTool = {
  definition: { name: 'test_audio_content', description: 'Returns a short silent WAV clip.', inputSchema: NO_ARGUMENTS },
  call: () => Promise.resolve({ content: [{ type: 'audio', data: silentWav(), mimeType: 'audio/wav' }] }),
};

const embeddedResource: FixtureTool = {
  definition: { name: 'test_embedded_resource', description: 'Returns an embedded text resource.', inputSchema: NO_ARGUMENTS },
  call: () => Promise.resolve({
    content: [{ type: 'resource', resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } }],
  }),
};

const mixedContent: FixtureTool = {
  definition: { name: 'test_multiple_content_types', description: 'Returns text, an image and an embedded resource.', inputSchema: NO_ARGUMENTS },
  call: () => Promise.resolve({
    content: [
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' },
      { type: 'resource', resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) } },
    ],
  }),
};

// A tool failure is reported in the result (isError), not as a JSON-RPC error, so the model can see it.
const failing: FixtureTool = {
  definition: { name: 'test_error_handling', description: 'Always fails with a tool error.', inputSchema: NO_ARGUMENTS },
  call: () => Promise.resolve(toolError('This tool intentionally returns an error for testing')),
};

const jsonSchema2020: FixtureTool = {
  definition: {
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: {
        address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } },
      },
      properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
      additionalProperties: false,
    },
  },
  call: (args) => Promise.resolve(text(`Received: ${JSON.stringify(args)}`)),
};

export const CONTENT_TOOLS: readonly FixtureTool[] = [simpleText, image, audio, embeddedResource, mixedContent, failing, jsonSchema2020];
