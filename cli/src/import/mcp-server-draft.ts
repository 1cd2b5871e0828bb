// [pure] A server.json turned into a McpServer document for review: the remote becomes the upstream,
// a header that carries a credential becomes a `credential.secretRef` placeholder, and what a
// server.json cannot say (data classification, region, tools) is left as TODO that fails
// `gatehouse lint` with a readable message, rather than invented. An entry served by a Gatehouse
// registry (its `dev.gatehouse/virtual-server` metadata) says those too, so it imports complete.
import { stringify } from 'yaml';
import { CLASSIFICATIONS, RISK_LEVELS } from '../../../compiler/src/schema/common.ts';
import { secretEnvName } from '../../../xds-server/src/artifacts/secrets.ts';
import { GATEHOUSE_META_KEY } from '../../../xds-server/src/registry-api/registry-shapes.ts';
import type { Parsed, Remote, RemoteHeader, ServerJson } from './server-json.ts';

export interface DraftOptions {
  /** The McpServer's name; default: the server.json name's last part. */
  readonly name?: string;
  /** Where the server.json came from (a file or URL), for the header comment. */
  readonly source: string;
  /** The `$schema` hint for editors, relative to the output file; absent: none. */
  readonly schemaPath?: string;
}

export interface McpServerDraft {
  readonly name: string;
  readonly yaml: string;
  /** What a reviewer must fill in before the document lints. */
  readonly todo: readonly string[];
}

const NAME = /^[a-z]([a-z0-9]|-(?!-)){0,61}[a-z0-9]$|^[a-z]$/;
/** McpServer upstream URLs: http(s), no user info, query or fragment. */
const UPSTREAM_URL = /^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/;
/** Header names whose value is a credential, whatever the file says. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|key|password|auth|session/i;

export function draftMcpServer(server: ServerJson, options: DraftOptions): Parsed<McpServerDraft> {
  const name = options.name ?? defaultName(server.name);
  if (!NAME.test(name)) {
    return { ok: false, error: `"${name}" is not a registry name (lowercase letters, digits and single hyphens, at most 63): pass --name NAME` };
  }
  const remote = server.remotes.find((r) => r.type === 'streamable-http');
  if (!remote) return { ok: false, error: noRemote(server) };
  const url = resolveTemplate(remote);
  if (!url.ok) return url;
  if (!UPSTREAM_URL.test(url.value)) {
    return { ok: false, error: `the remote URL ${url.value} is not one Gatehouse can proxy to: http(s), without user info, query or fragment` };
  }
  const known = gatehouseFacts(server.meta);
  const lines: string[] = [];
  const todo: string[] = [];
  lines.push(
    'apiVersion: gatehouse.dev/v1alpha1',
    'kind: McpServer',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  description: ${scalar(known?.description ?? server.description)}`,
  );
  if (known?.owners.length === 1) lines.push(`  # The owner upstream was team ${scalar(known.owners[0])}: name the team of yours that reviews its grants.`);
  lines.push('  upstream:', `    url: ${scalar(url.value)}`);
  if (known?.dataClassification) {
    lines.push(`  dataClassification: ${known.dataClassification}`);
  } else {
    todo.push('dataClassification');
    lines.push(`  # TODO: how sensitive the data it sees is: ${CLASSIFICATIONS.join(', ')}.`, '  dataClassification: TODO');
  }
  if (known?.region) {
    lines.push(`  region: ${scalar(known.region)}`);
  } else {
    todo.push('region');
    lines.push('  # TODO: where the server runs and keeps data, for example eu-west-1.', '  region: TODO');
  }
  lines.push(...credentialLines(name, remote.headers));
  if (known && known.tools.length > 0) {
    lines.push('  tools:');
    for (const tool of known.tools) {
      lines.push(`    - name: ${scalar(tool.name)}`, tool.risk === undefined ? `      risk: TODO  # ${RISK_LEVELS.join(', ')}` : `      risk: ${tool.risk}`);
    }
    if (known.tools.some((t) => t.risk === undefined)) todo.push('tool risks');
  } else {
    todo.push('tools');
    lines.push(
      `  # TODO: the server's tools, each with its risk (${RISK_LEVELS.join(', ')}); a server.json does not list them.`,
      '  # List them from the server\'s tools/list, then pin their definitions with `gatehouse discover`.',
      '  # tools:',
      '  #   - name: TOOL_NAME',
      '  #     risk: low',
    );
  }
  const others = server.remotes.filter((r) => r !== remote);
  if (others.length > 0) lines.push(`  # Other remotes in the server.json, not imported: ${others.map((r) => `${r.type} ${r.url}`).join(', ')}`);
  const header = [
    ...(options.schemaPath === undefined ? [] : [`# yaml-language-server: $schema=${options.schemaPath}`]),
    `# Imported by \`gatehouse import\` from ${options.source}`,
    `#   server.json: ${server.name}${server.version === undefined ? '' : ` ${server.version}`}`,
    todo.length > 0 ? '# Review it before merging: each TODO below fails `gatehouse lint` until it is filled in.' : '# Review it before merging.',
  ];
  return { ok: true, value: { name, yaml: `${[...header, ...lines].join('\n')}\n`, todo } };
}

/** `io.github.acme/Weather-API` gives `weather-api`. */
export function defaultName(serverJsonName: string): string {
  const last = serverJsonName.split('/').at(-1) ?? serverJsonName;
  return last.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 63).replace(/-+$/, '');
}

function noRemote(server: ServerJson): string {
  if (server.remotes.length > 0) {
    const types = [...new Set(server.remotes.map((r) => r.type))].join(', ');
    return `${server.name} has no streamable-http remote (only ${types}): Gatehouse proxies servers that speak streamable HTTP`;
  }
  if (server.packages.length > 0) {
    return `${server.name} is packages only (${server.packages.join(', ')}): Gatehouse proxies remote servers only. ` +
      'Run it as a service that speaks streamable HTTP and register that URL instead.';
  }
  return `${server.name} has no remotes: there is no URL for Gatehouse to proxy to`;
}

function resolveTemplate(remote: Remote): Parsed<string> {
  const missing: string[] = [];
  const url = remote.url.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (whole, variable: string) => {
    const value = remote.variables[variable];
    if (value === undefined) missing.push(variable);
    return value ?? whole;
  });
  if (missing.length > 0) {
    const names = missing.join(', ');
    return { ok: false, error: `the remote URL ${remote.url} has template variables without a default (${names}): fill them in the server.json first` };
  }
  return { ok: true, value: url };
}

/** The first credential header becomes the credential; the rest are named, since Gatehouse sets no other fixed header upstream. */
function credentialLines(name: string, headers: readonly RemoteHeader[]): string[] {
  const credentials = headers.filter((h) => h.isSecret || CREDENTIAL_HEADER.test(h.name));
  const [credential] = credentials;
  const lines: string[] = [];
  if (credential) {
    const secretRef = `${name.slice(0, 52).replace(/-+$/, '')}-credential`;
    const about = credential.description === undefined ? '' : ` (${oneLine(credential.description)})`;
    lines.push(
      `  # REVIEW: the server expects a credential in the ${credential.name} header${about}.`,
      `  # Store the whole header value as the secret ${secretRef}: a file of that name in the control plane's secrets folder,`,
      `  # or the environment variable ${secretEnvName(secretRef)}. Envoy sets it upstream; it never enters the registry.`,
      '  credential:',
      `    secretRef: ${secretRef}`,
    );
    if (credential.name.toLowerCase() !== 'authorization') lines.push(`    header: ${scalar(credential.name)}`);
  }
  const dropped = headers.filter((h) => h !== credential);
  if (dropped.length > 0) {
    lines.push(`  # REVIEW: not imported (Gatehouse sets no other fixed headers upstream): ${dropped.map((h) => h.name).join(', ')}`);
  }
  return lines;
}

interface GatehouseFacts {
  readonly description?: string;
  readonly owners: readonly string[];
  readonly dataClassification?: string;
  readonly region?: string;
  /** Without a risk when the registry gave none (a TODO to fill). */
  readonly tools: readonly { readonly name: string; readonly risk?: string }[];
}

/** What a Gatehouse registry says of its own entry: the most sensitive member's classification, the members' one region, the tools. */
function gatehouseFacts(meta: Readonly<Record<string, unknown>>): GatehouseFacts | undefined {
  const facts = meta[GATEHOUSE_META_KEY] as Partial<{
    description: unknown; owners: unknown; members: unknown; tools: unknown;
  }> | undefined;
  if (facts === undefined || typeof facts !== 'object') return undefined;
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter(isRecord) : []);
  const members = list(facts.members);
  const classifications = members.map((m) => CLASSIFICATIONS.indexOf(m['dataClassification'] as (typeof CLASSIFICATIONS)[number]));
  const highest = classifications.length > 0 && !classifications.includes(-1) ? CLASSIFICATIONS[Math.max(...classifications)] : undefined;
  const regions = [...new Set(members.map((m) => m['region']))];
  const tools = list(facts.tools).flatMap((t) => {
    const risk = RISK_LEVELS.includes(t['risk'] as (typeof RISK_LEVELS)[number]) ? (t['risk'] as string) : undefined;
    return typeof t['name'] === 'string' ? [{ name: t['name'], ...(risk === undefined ? {} : { risk }) }] : [];
  });
  return {
    ...(typeof facts.description === 'string' ? { description: facts.description } : {}),
    owners: Array.isArray(facts.owners) ? facts.owners.filter((o): o is string => typeof o === 'string') : [],
    ...(highest === undefined ? {} : { dataClassification: highest }),
    ...(regions.length === 1 && typeof regions[0] === 'string' ? { region: regions[0] } : {}),
    tools,
  };
}

/** A YAML scalar on one line: plain where YAML allows it, quoted otherwise. */
function scalar(value: string | undefined): string {
  return stringify(oneLine(value ?? ''), { lineWidth: 0 }).trimEnd();
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
