// What the control plane's ext_proc processors read from Envoy's ProcessingRequest (as JSON): the
// shapes they use, a header's value, and the virtual server a request's path names.

/** A header as ext_proc sends it: `value`, or `rawValue` in base64. */
export type Header = { key: string; value?: string; rawValue?: string };

/** The parts of envoy.service.ext_proc.v3.ProcessingRequest the processors read. */
export type ProcessingRequestJson = {
  requestHeaders?: { headers?: { headers?: Header[] } };
  responseHeaders?: { headers?: { headers?: Header[] } };
  responseBody?: { body?: string; endOfStream?: boolean };
  metadataContext?: { filterMetadata?: Record<string, Record<string, unknown>> };
};

/** A header's value (lower-case name), decoding `rawValue`; undefined when absent. */
export function header(headers: Header[] | undefined, name: string): string | undefined {
  const found = headers?.find((h) => h.key === name);
  if (!found) return undefined;
  return found.value ?? (found.rawValue !== undefined ? Buffer.from(found.rawValue, 'base64').toString('utf8') : undefined);
}

/** The virtual server of a `/mcp/<name>` path, or '' for any other path. */
export function virtualServerOfPath(path: string): string {
  return /^\/mcp\/([a-z0-9-]+)/.exec(path)?.[1] ?? '';
}
