// `gatehouse import`: a server.json (from a public or private MCP registry, or a vendor) written as a
// McpServer document for review. Bad input writes nothing and exits 1 with the reason.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { boundedGet, FetchFailed } from '../../xds-server/src/artifacts/bounded-fetch.ts';
import { readAdminToken } from './admin-token.ts';
import { parseFlags } from './args.ts';
import { draftMcpServer } from './import/mcp-server-draft.ts';
import { parseServerJson, unwrapServerJson } from './import/server-json.ts';
import { UsageError } from './usage-error.ts';

export const IMPORT_USAGE =
  'Usage: gatehouse import <server.json|URL> [--name NAME] [--out FILE|-] [--root DIR] [--force] [--admin-token-file FILE]';

const FETCH_LIMITS = { timeoutMs: 15_000, maxBytes: 1024 * 1024 };

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { name: { type: 'string' }, out: { type: 'string' }, root: { type: 'string' }, force: { type: 'boolean' }, 'admin-token-file': { type: 'string' } },
    true,
  );
  if (values.help) {
    process.stdout.write(`${IMPORT_USAGE}\n`);
    return 0;
  }
  const [source, ...extra] = positionals;
  if (source === undefined || extra.length > 0) throw new UsageError('give exactly one server.json file or URL');
  const token = values['admin-token-file'] === undefined ? undefined : readAdminToken(values['admin-token-file']);
  const fail = (reason: string) => {
    process.stderr.write(`gatehouse import: ${source}: ${reason}\nNothing was written.\n`);
    return 1;
  };

  const read = await readSource(source, token);
  if (!read.ok) return fail(read.error);
  let document: unknown;
  try {
    document = JSON.parse(read.text);
  } catch (error) {
    return fail(`not JSON (${error instanceof Error ? error.message : String(error)}): give a server.json or a registry answer for one server`);
  }
  const unwrapped = unwrapServerJson(document);
  if (!unwrapped.ok) return fail(unwrapped.error);
  const server = parseServerJson(unwrapped.value);
  if (!server.ok) return fail(server.error);

  const root = resolve(values.root ?? '.');
  const toStdout = values.out === '-';
  const draftName = values.name;
  // The output path needs the name, which the draft settles: draft once for the name, then with the editor hint.
  const first = draftMcpServer(server.value, { source, ...(draftName === undefined ? {} : { name: draftName }) });
  if (!first.ok) return fail(first.error);
  const out = toStdout ? undefined : resolve(values.out ?? join(root, 'registry', 'mcp-servers', `${first.value.name}.yaml`));
  const schema = join(root, 'schemas', 'McpServer.schema.json');
  const schemaPath = out !== undefined && existsSync(schema) ? relative(dirname(out), schema) : undefined;
  const draft = schemaPath === undefined ? first : draftMcpServer(server.value, { source, name: first.value.name, schemaPath });
  if (!draft.ok) return fail(draft.error);

  if (out === undefined) {
    process.stdout.write(draft.value.yaml);
  } else {
    if (existsSync(out) && values.force !== true) return fail(`${shown(out)} exists: pass --force to replace it, or --out another file`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, draft.value.yaml);
    process.stderr.write(`gatehouse import: wrote ${shown(out)} (McpServer "${draft.value.name}")\n`);
  }
  const { todo } = draft.value;
  process.stderr.write(
    todo.length > 0
      ? `Fill in what a server.json cannot say (${todo.join(', ')}: marked TODO), review the REVIEW notes, then run \`gatehouse lint\`.\n`
      : 'Review it (REVIEW notes, if any), then run `gatehouse lint`.\n',
  );
  return 0;
}

/** A path relative to the working directory when it is inside it, else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

type Read = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

async function readSource(source: string, token: string | undefined): Promise<Read> {
  if (/^https?:\/\//.test(source)) {
    try {
      const headers = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
      const response = await boundedGet(source, { ...FETCH_LIMITS, headers });
      if (response.status !== 200) {
        const hint = response.status === 401 ? ' (a registry behind the admin token: pass --admin-token-file)' : '';
        return { ok: false, error: `the server answered HTTP ${String(response.status)}${hint}` };
      }
      return { ok: true, text: response.body.toString('utf8') };
    } catch (error) {
      if (error instanceof FetchFailed) return { ok: false, error: error.message };
      throw error;
    }
  }
  try {
    return { ok: true, text: readFileSync(source, 'utf8') };
  } catch (error) {
    return { ok: false, error: `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)}): give a server.json file or an http(s) URL` };
  }
}
