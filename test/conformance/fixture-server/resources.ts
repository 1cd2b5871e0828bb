// Fixture resources: a text and a binary resource, a resource clients subscribe to, and a URI template whose
// reads reflect the parameter. Subscriptions are tracked per session.
import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { RED_PIXEL_PNG } from './media.ts';

export const WATCHED_RESOURCE = 'test://watched-resource';

export function installResources(server: McpServer, subscriptions: Set<string>): void {
  server.registerResource('static-text', 'test://static-text', { description: 'A fixed text resource.', mimeType: 'text/plain' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }],
  }));
  server.registerResource('static-binary', 'test://static-binary', { description: 'A fixed 1x1 PNG image.', mimeType: 'image/png' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'image/png', blob: RED_PIXEL_PNG }],
  }));
  server.registerResource('watched-resource', WATCHED_RESOURCE, { description: 'A resource clients subscribe to.', mimeType: 'text/plain' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: `Subscribed: ${String(subscriptions.has(uri.href))}` }],
  }));
  server.registerResource(
    'template-data',
    new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    { description: 'Data for the given id.', mimeType: 'application/json' },
    (uri, variables) => {
      const id = String(variables.id);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }] };
    },
  );
  server.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    subscriptions.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscriptions.delete(request.params.uri);
    return {};
  });
}
