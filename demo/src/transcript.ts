// The demo's transcript: a few real MCP calls through the gateway, allowed and denied, made with
// the MCP SDK client as any agent would make them.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface TranscriptStep {
  readonly team: string;
  readonly virtualServer: string;
  readonly tool: string;
  readonly arguments: Record<string, unknown>;
  readonly why: string;
}

/** Steps for the example registry; steps naming a team or virtual server that does not exist are skipped. */
export const EXAMPLE_STEPS: readonly TranscriptStep[] = [
  { team: 'support', virtualServer: 'helpdesk', tool: 'tickets__search_tickets', arguments: { query: 'refund' }, why: 'granted to support' },
  { team: 'support', virtualServer: 'helpdesk', tool: 'docs__get_page', arguments: { slug: 'refund-policy' }, why: 'granted to support' },
  { team: 'support', virtualServer: 'helpdesk', tool: 'tickets__delete_ticket', arguments: { id: 'T-1003' }, why: 'not granted to support' },
  { team: 'payments', virtualServer: 'payments-ops', tool: 'issue_refund', arguments: { payment_id: 'P-5001', amount: 20 }, why: 'granted to payments' },
  {
    team: 'payments', virtualServer: 'payments-ops', tool: 'issue_refund',
    arguments: { payment_id: 'P-5002', amount: 2000 }, why: 'org rule: refunds over 1000',
  },
  {
    team: 'payments', virtualServer: 'payments-ops', tool: 'transfer_funds',
    arguments: { from: 'operating', to: 'reserve', amount: 10 }, why: 'granted to nobody',
  },
  {
    team: 'engineering', virtualServer: 'knowledge', tool: 'update_page',
    arguments: { slug: 'on-call', body: 'Rotation: payments-primary.' }, why: 'granted to engineering',
  },
  { team: 'engineering', virtualServer: 'payments-ops', tool: 'lookup_payment', arguments: { id: 'P-5001' }, why: 'engineering has no access to payments-ops' },
  // Upstream identity: the gateway exchanges each caller's token for one of the whoami server's own, so it answers per user.
  { team: 'support', virtualServer: 'whoami', tool: 'whoami', arguments: {}, why: 'token exchanged for the caller' },
  { team: 'engineering', virtualServer: 'whoami', tool: 'whoami', arguments: {}, why: 'token exchanged for the caller' },
];

export interface TranscriptLine {
  readonly step: TranscriptStep;
  readonly allowed: boolean;
  readonly detail: string;
}

export async function runTranscript(
  steps: readonly TranscriptStep[],
  endpoint: (virtualServer: string) => string,
  tokenFor: (team: string) => string | undefined,
): Promise<TranscriptLine[]> {
  const lines: TranscriptLine[] = [];
  for (const step of steps) {
    const token = tokenFor(step.team);
    if (!token) continue;
    const client = new Client({ name: 'gatehouse-demo', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(endpoint(step.virtualServer)), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    try {
      await client.connect(transport);
      const result = await client.callTool({ name: step.tool, arguments: step.arguments });
      const first = (result.content as { type: string; text?: string }[] | undefined)?.[0];
      lines.push({ step, allowed: true, detail: oneLine(first?.text ?? JSON.stringify(result)) });
    } catch (error) {
      lines.push({ step, allowed: false, detail: readableError(error) });
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  return lines;
}

/** The JSON-RPC error message inside the SDK's error text, when there is one. */
export function readableError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const json = text.indexOf('{');
  if (json >= 0) {
    try {
      const body = JSON.parse(text.slice(json)) as { error?: { message?: string } };
      if (body.error?.message) return body.error.message;
    } catch {
      // not JSON
    }
  }
  return oneLine(text);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 110 ? `${flat.slice(0, 107)}...` : flat;
}
