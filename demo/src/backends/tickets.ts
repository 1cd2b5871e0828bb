// The demo "tickets" MCP server: a small customer-support ticket store.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

interface Ticket {
  id: string;
  subject: string;
  customer: string;
  status: 'open' | 'closed';
  comments: { author: string; text: string; internal: boolean }[];
}

const text = (value: unknown) => ({ content: [{ type: 'text' as const, text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }] });

export function registerTicketTools(server: McpServer): void {
  const tickets = new Map<string, Ticket>([
    ['T-1001', { id: 'T-1001', subject: 'Refund not received', customer: 'ada@example.com', status: 'open', comments: [] }],
    ['T-1002', { id: 'T-1002', subject: 'Cannot log in after password reset', customer: 'grace@example.com', status: 'open', comments: [] }],
    ['T-1003', { id: 'T-1003', subject: 'Invoice shows the wrong VAT number', customer: 'alan@example.com', status: 'closed', comments: [] }],
  ]);
  let next = 1004;
  const find = (id: string) => {
    const ticket = tickets.get(id);
    if (!ticket) throw new Error(`no ticket ${id}`);
    return ticket;
  };

  server.registerTool(
    'search_tickets',
    {
      description: 'Full-text search over tickets, newest first.',
      inputSchema: { query: z.string(), status: z.enum(['open', 'closed']).optional() },
      annotations: { readOnlyHint: true },
    },
    ({ query, status }) =>
      text(
        [...tickets.values()]
          .filter((t) => t.subject.toLowerCase().includes(query.toLowerCase()) && (!status || t.status === status))
          .reverse()
          .map(({ id, subject, status: s }) => ({ id, subject, status: s })),
      ),
  );
  server.registerTool(
    'get_ticket',
    { description: 'One ticket with its comments.', inputSchema: { id: z.string() }, annotations: { readOnlyHint: true } },
    ({ id }) => text(find(id)),
  );
  server.registerTool(
    'create_ticket',
    { description: 'Opens a ticket on behalf of a customer.', inputSchema: { subject: z.string().min(3), customer: z.email() } },
    ({ subject, customer }) => {
      const ticket: Ticket = { id: `T-${next++}`, subject, customer, status: 'open', comments: [] };
      tickets.set(ticket.id, ticket);
      return text(ticket);
    },
  );
  server.registerTool(
    'add_comment',
    {
      description: 'Adds a public or internal comment to a ticket.',
      inputSchema: { id: z.string(), text: z.string().min(1), internal: z.boolean().default(false) },
    },
    ({ id, text: body, internal }) => {
      find(id).comments.push({ author: 'agent', text: body, internal });
      return text(`comment added to ${id}`);
    },
  );
  server.registerTool('close_ticket', { description: 'Resolves a ticket and notifies the customer.', inputSchema: { id: z.string() } }, ({ id }) => {
    find(id).status = 'closed';
    return text(`${id} closed; the customer was notified`);
  });
  server.registerTool(
    'delete_ticket',
    { description: 'Permanently deletes a ticket and its history.', inputSchema: { id: z.string() }, annotations: { destructiveHint: true } },
    ({ id }) => {
      find(id);
      tickets.delete(id);
      return text(`${id} deleted`);
    },
  );
}
