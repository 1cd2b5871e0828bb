// The IR of a server generated from an OpenAPI document: for each tool, the REST request Envoy's
// mcp_json_rest_bridge makes of a tools/call, and what tools/list says of it.
import type { SourceLocation } from '../diagnostics/diagnostic.ts';

export type RestMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

export interface IrRestTool {
  readonly tool: string;
  readonly method: RestMethod;
  /** The path template with the base path, `{name}` for each path argument (`/api/items/{id}`). */
  readonly path: string;
  /** The argument holding the JSON request body; absent: no body (leftover arguments go to the query). */
  readonly bodyArgument?: string;
  /** Arguments sent as request headers: header name and argument. */
  readonly headers: readonly { readonly header: string; readonly argument: string }[];
  /** The tool's input schema (every `$ref` resolved), as tools/list gives it. */
  readonly inputSchema: Readonly<Record<string, unknown>>;
  readonly description: string;
}

export interface IrRestApi {
  /** The OpenAPI document: its repository path, or its URL. */
  readonly document: string;
  readonly tools: readonly IrRestTool[];
  readonly source: SourceLocation;
}
