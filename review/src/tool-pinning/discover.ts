// [impure: network] `gatehouse discover`: lists each registered server's tools with an MCP SDK
// client (streamable HTTP, the credential header the gateway injects) and locks what it saw.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Ir } from '../../../compiler/src/ir/types.ts';
import { lockTool, type LockedTool } from '../../../compiler/src/tool-lock/lock-file.ts';
import { VERSION } from '../../../compiler/src/version.ts';

export interface DiscoverTarget {
  readonly server: string;
  readonly url: string;
  /** The headers the gateway would set upstream (the server's credential). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Pages followed at most: a server whose cursor never ends cannot hold discovery forever. */
const MAX_PAGES = 100;

/** The servers to discover (all, or those named), with their credential header from `secret`; a missing secret is an error. */
export function discoverTargets(ir: Ir, only: readonly string[], secret: (ref: string) => string | undefined): { targets: DiscoverTarget[]; errors: string[] } {
  const errors = only.filter((name) => !ir.servers.some((s) => s.name === name)).map((name) => `no McpServer named ${name} in the registry`);
  const targets: DiscoverTarget[] = [];
  for (const server of ir.servers) {
    if (only.length > 0 && !only.includes(server.name)) continue;
    const headers: Record<string, string> = {};
    if (server.credential) {
      const value = secret(server.credential.secretRef);
      if (value === undefined) {
        errors.push(`server ${server.name}: its credential (secret ${server.credential.secretRef}) is not available; give --secrets-dir`);
        continue;
      }
      headers[server.credential.header] = value;
    }
    targets.push({ server: server.name, url: server.upstream.url, headers });
  }
  return { targets, errors };
}

/** Every tool the server lists (all pages), locked. */
export async function discoverServer(target: DiscoverTarget, timeoutMs = 15_000): Promise<LockedTool[]> {
  const client = new Client({ name: 'gatehouse-discover', version: VERSION });
  const transport = new StreamableHTTPClientTransport(new URL(target.url), { requestInit: { headers: { ...target.headers } } });
  await client.connect(transport, { timeout: timeoutMs });
  try {
    const tools: LockedTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: timeoutMs });
      tools.push(...result.tools.map((tool) => lockTool(tool as Record<string, unknown> & { name: string })));
      cursor = result.nextCursor;
      if (cursor === undefined) return tools;
    }
    throw new Error(`the tool list did not end after ${String(MAX_PAGES)} pages`);
  } finally {
    await client.close();
  }
}

/** The live tools of each target, or why a server could not be listed. */
export async function discoverAll(targets: readonly DiscoverTarget[]): Promise<{ servers: Record<string, LockedTool[]>; errors: string[] }> {
  const servers: Record<string, LockedTool[]> = {};
  const errors: string[] = [];
  for (const target of targets) {
    try {
      servers[target.server] = await discoverServer(target);
    } catch (error) {
      errors.push(`server ${target.server} (${target.url}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { servers, errors };
}
