// The demo "payments" MCP server: a payments ledger with refunds.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const text = (value: unknown) => ({ content: [{ type: 'text' as const, text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }] });

interface Payment {
  id: string;
  customer: string;
  amount: number;
  refunded: number;
}

export function registerPaymentTools(server: McpServer): void {
  const payments = new Map<string, Payment>([
    ['P-5001', { id: 'P-5001', customer: 'ada@example.com', amount: 120, refunded: 0 }],
    ['P-5002', { id: 'P-5002', customer: 'grace@example.com', amount: 2400, refunded: 0 }],
  ]);
  const balances = new Map<string, number>([
    ['operating', 100_000],
    ['reserve', 250_000],
  ]);
  const find = (id: string) => {
    const payment = payments.get(id);
    if (!payment) throw new Error(`no payment ${id}`);
    return payment;
  };
  server.registerTool(
    'lookup_payment',
    { description: 'One payment by id.', inputSchema: { id: z.string() }, annotations: { readOnlyHint: true } },
    ({ id }) => text(find(id)),
  );
  server.registerTool(
    'list_invoices',
    { description: 'Invoices of one customer.', inputSchema: { customer: z.string() }, annotations: { readOnlyHint: true } },
    ({ customer }) =>
      text(
        [...payments.values()]
          .filter((p) => p.customer === customer)
          .map((p) => ({ invoice: `INV-${p.id.slice(2)}`, amount: p.amount })),
      ),
  );
  server.registerTool(
    'issue_refund',
    {
      description: 'Refunds all or part of a payment.',
      inputSchema: { payment_id: z.string(), amount: z.number().positive() },
      annotations: { destructiveHint: true },
    },
    ({ payment_id, amount }) => {
      const payment = find(payment_id);
      if (payment.refunded + amount > payment.amount) throw new Error(`refund exceeds the payment (${payment.amount - payment.refunded} left)`);
      payment.refunded += amount;
      return text(`refunded ${amount} of ${payment_id}`);
    },
  );
  server.registerTool(
    'transfer_funds',
    {
      description: 'Moves money between ledger accounts.',
      inputSchema: { from: z.string(), to: z.string(), amount: z.number().positive() },
      annotations: { destructiveHint: true },
    },
    ({ from, to, amount }) => {
      const balance = balances.get(from) ?? 0;
      if (balance < amount) throw new Error('insufficient funds');
      balances.set(from, balance - amount);
      balances.set(to, (balances.get(to) ?? 0) + amount);
      return text(`moved ${amount} from ${from} to ${to}`);
    },
  );
}
