// `gatehouse tools install|check`: installs the pinned OPA, Regal and Envoy into the tools cache.
import { checkTools, installTools, type ToolStatus } from '../../toolchain/src/install.ts';
import { toolsDir } from '../../toolchain/src/tools.ts';
import { parseFlags } from './args.ts';
import { UsageError } from './usage-error.ts';

export async function run(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseFlags(argv, {}, true);
  const action = positionals[0] ?? 'check';
  if (values.help) {
    process.stdout.write('Usage: gatehouse tools install|check\n');
    return 0;
  }
  if (action !== 'install' && action !== 'check') throw new UsageError(`unknown action "${action}"`);
  const say = (line: string) => process.stderr.write(`gatehouse tools: ${line}\n`);
  say(`tools folder ${toolsDir()}`);
  const statuses = action === 'install' ? await installTools(say) : await checkTools();
  return report(statuses, say);
}

function report(statuses: readonly ToolStatus[], say: (line: string) => void): number {
  const failed = statuses.filter((s) => !s.ok);
  for (const s of statuses) if (s.ok) say(`${s.tool}: ${s.detail}`);
  for (const s of failed) say(`${s.tool}: MISSING: ${s.detail}`);
  return failed.length === 0 ? 0 : 1;
}
