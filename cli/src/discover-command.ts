// `gatehouse discover`: lists every registered server's tools (or those named) with an MCP client
// and writes tools.lock.yaml, the pins the gateway enforces once compiled. Servers not named keep
// their entries. Exit 1 when a server cannot be listed (its old entry is kept), 2 on a usage error.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadRegistry } from '../../compiler/src/pipeline/load-registry.ts';
import { progressPrinter } from '../../compiler/src/pipeline/progress.ts';
import { formatDiagnostics } from '../../compiler/src/diagnostics/format.ts';
import { renderToolLock, TOOL_LOCK_FILE } from '../../compiler/src/tool-lock/lock-file.ts';
import { compareLocks } from '../../review/src/tool-pinning/compare-locks.ts';
import { discoverAll, discoverTargets } from '../../review/src/tool-pinning/discover.ts';
import { renderToolChangesText } from '../../review/src/tool-pinning/render-tool-changes.ts';
import { readLockAt } from '../../review/src/tool-pinning/tool-drift.ts';
import { resolveSecrets } from '../../xds-server/src/artifacts/secrets.ts';
import { parseFlags } from './args.ts';

export const DISCOVER_USAGE = 'Usage: gatehouse discover [--root DIR] [--server NAME]... [--secrets-dir DIR]';

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    root: { type: 'string' },
    server: { type: 'string', multiple: true },
    'secrets-dir': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(`${DISCOVER_USAGE}\n`);
    return 0;
  }
  const root = resolve(values.root ?? '.');
  const registry = loadRegistry(root, progressPrinter((line) => process.stderr.write(line), 'gatehouse discover:'));
  if (!registry.ir) {
    process.stderr.write(formatDiagnostics(registry.diagnostics, 'text'));
    return 1;
  }
  const secretsDir = values['secrets-dir'] === undefined ? undefined : resolve(values['secrets-dir']);
  const secret = (ref: string) => resolveSecrets([ref], secretsDir, process.env).get(ref);
  const { targets, errors } = discoverTargets(registry.ir, values.server ?? [], secret);
  const live = await discoverAll(targets);
  const before = readLockAt(root).lock;
  const known = new Set(registry.ir.servers.map((s) => s.name));
  // Servers no longer in the registry leave the lock; those not listed this time keep their entries.
  const kept = Object.fromEntries(Object.entries(before.servers).filter(([server]) => known.has(server)));
  const after = { servers: { ...kept, ...live.servers } };
  writeFileSync(join(root, TOOL_LOCK_FILE), renderToolLock(after));
  const changes = compareLocks(before, after);
  process.stdout.write(renderToolChangesText(`${TOOL_LOCK_FILE}: changes to review`, changes) || `${TOOL_LOCK_FILE}: no changes\n`);
  for (const error of [...errors, ...live.errors]) process.stderr.write(`gatehouse discover: ${error}\n`);
  const count = Object.values(live.servers).reduce((n, tools) => n + tools.length, 0);
  process.stderr.write(`gatehouse discover: ${String(count)} tools of ${String(Object.keys(live.servers).length)} servers locked in ${TOOL_LOCK_FILE}\n`);
  return errors.length + live.errors.length > 0 ? 1 : 0;
}
