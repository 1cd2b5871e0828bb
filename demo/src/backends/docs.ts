// The demo "docs" MCP server: an internal knowledge base.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const text = (value: unknown) => ({ content: [{ type: 'text' as const, text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }] });

export function registerDocsTools(server: McpServer): void {
  const pages = new Map<string, string>([
    ['refund-policy', 'Refunds are issued to the original payment method within 5 business days. Amounts over 1000 need a second approver.'],
    ['password-reset', 'Ask the customer to use the "Forgot password" link; reset links expire after 30 minutes.'],
    ['vat-invoices', 'Corrected invoices are issued from the billing console; never edit a sent invoice.'],
    ['on-call', 'The payments on-call rotation is in the paging tool under "payments-primary".'],
  ]);
  server.registerTool(
    'search_docs',
    { description: 'Semantic search over the knowledge base.', inputSchema: { query: z.string().min(1) }, annotations: { readOnlyHint: true } },
    ({ query }) => {
      const words = query.toLowerCase().split(/\s+/);
      const hits = [...pages.entries()]
        .map(([slug, body]) => ({ slug, score: words.filter((w) => `${slug} ${body}`.toLowerCase().includes(w)).length }))
        .filter((h) => h.score > 0)
        .sort((a, b) => b.score - a.score)
        .map((h) => h.slug);
      return text(hits);
    },
  );
  server.registerTool(
    'get_page',
    { description: 'The full text of one page.', inputSchema: { slug: z.string() }, annotations: { readOnlyHint: true } },
    ({ slug }) => {
      const page = pages.get(slug);
      if (!page) throw new Error(`no page ${slug}`);
      return text(page);
    },
  );
  server.registerTool(
    'update_page',
    { description: 'Replaces the text of a page.', inputSchema: { slug: z.string(), body: z.string().min(1) } },
    ({ slug, body }) => {
      pages.set(slug, body);
      return text(`${slug} updated`);
    },
  );
}
