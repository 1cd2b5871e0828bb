// Rules on URLs and ports: every URL the schema lets through (its pattern checks only the scheme and the
// characters) must parse the way Envoy and the IR builder will read it, with a port from 1 to 65535.
// Without this, `:99999` or an IPv6 zone (`[fe80::1%25eth0]`) ended the compile with "Invalid URL" and no
// file:line, and `:0` compiled into a cluster no one can reach.
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { NodePath } from '../../source/parse-yaml.ts';
import type { RegistryDocument } from '../registry-document.ts';
import type { RuleContext } from './context.ts';

const MAX_PORT = 65535;

export function urls(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const doc of ctx.docs.McpServer) out.push(...checkUrl(doc, ['upstream', 'url'], doc.spec.upstream.url));
  for (const doc of ctx.docs.IdentityProvider) {
    if (doc.spec.jwks.uri !== undefined) out.push(...checkUrl(doc, ['jwks', 'uri'], doc.spec.jwks.uri));
    (doc.spec.authorizationServers ?? []).forEach((url, i) => out.push(...checkUrl(doc, ['authorizationServers', i], url)));
  }
  for (const doc of ctx.docs.Gateway) {
    out.push(...checkUrl(doc, ['publicUrl'], doc.spec.publicUrl));
    const collector = doc.spec.tracing?.collector;
    const port = collector === undefined ? undefined : /:([0-9]+)$/.exec(collector)?.[1];
    if (port !== undefined && !validPort(port)) out.push(portDiagnostic(doc, ['tracing', 'collector'], 'tracing.collector', port));
  }
  return out;
}

/** The port written in a URL's authority (`host:port`, `[v6]:port`), when there is one. */
export function portOf(url: string): string | undefined {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '';
  return /^(?:\[[^\]]*\]|[^:[\]]*):([0-9]+)$/.exec(authority.replace(/^.*@/, ''))?.[1];
}

function validPort(port: string): boolean {
  const n = Number(port);
  return n >= 1 && n <= MAX_PORT;
}

function checkUrl(doc: RegistryDocument, path: NodePath, url: string): Diagnostic[] {
  const field = path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
  const port = portOf(url);
  if (port !== undefined && !validPort(port)) return [portDiagnostic(doc, path, field, port)];
  let host = '';
  try {
    host = new URL(url).hostname;
  } catch {
    // reported below
  }
  if (host !== '') return [];
  const zone = /^[a-z]+:\/\/[^/?#]*\[[^\]]*%/i.test(url);
  return [
    {
      code: 'invalid-url',
      severity: 'error',
      message: `${doc.kind} "${doc.name}" ${field} is not a valid URL${zone ? ': an IPv6 address with a zone identifier (%…)' : ''}`,
      location: doc.at(path),
      hint: zone
        ? 'Envoy dials addresses without a zone: write the IPv6 address without `%zone`, or use a host name.'
        : 'Write an http:// or https:// URL with a host name or an IP address, for example `https://tickets.internal:8443/mcp`.',
    },
  ];
}

function portDiagnostic(doc: RegistryDocument, path: NodePath, field: string, port: string): Diagnostic {
  return {
    code: 'invalid-port',
    severity: 'error',
    message: `${doc.kind} "${doc.name}" ${field} has port ${port}, outside 1–${MAX_PORT}`,
    location: doc.at(path),
    hint: `Use a port from 1 to ${MAX_PORT}, or leave the port out for the scheme's default (80 for http, 443 for https).`,
  };
}
