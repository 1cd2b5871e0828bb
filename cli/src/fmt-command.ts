// `gatehouse fmt`: formats the repository's Rego (policies/) with the pinned OPA, as the rego-format
// gate of `check` expects. Without --write it lists the files that would change and exits 1 when
// there are any (for CI and pre-commit hooks); with --write it rewrites them in place.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run as runTool } from '../../toolchain/src/run.ts';
import { requireTool } from '../../toolchain/src/tools.ts';
import { parseFlags } from './args.ts';

export const FMT_USAGE = 'Usage: gatehouse fmt [--root DIR] [--write]';

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, { root: { type: 'string' }, write: { type: 'boolean', short: 'w' } });
  if (values.help) {
    process.stdout.write(`${FMT_USAGE}\n  Lists the Rego files in policies/ that opa fmt would change (exit 1 when any); --write rewrites them.\n`);
    return 0;
  }
  const root = resolve(values.root ?? '.');
  if (!existsSync(join(root, 'policies'))) {
    process.stdout.write(`gatehouse fmt: no policies/ in ${root}: nothing to format\n`);
    return 0;
  }
  const args = values.write ? ['fmt', '--write', 'policies'] : ['fmt', '--list', 'policies'];
  const result = await runTool(requireTool('opa'), args, { cwd: root, timeoutMs: 60_000 });
  if (result.code !== 0) {
    process.stderr.write(`gatehouse fmt: opa fmt failed:\n${result.stderr || result.stdout}`);
    return 1;
  }
  const files = result.stdout.split('\n').filter((line) => line !== '');
  if (values.write) {
    process.stdout.write(files.length === 0 ? 'gatehouse fmt: every file was formatted already\n' : `gatehouse fmt: formatted ${files.join(', ')}\n`);
    return 0;
  }
  if (files.length === 0) return 0;
  process.stdout.write(`${files.join('\n')}\ngatehouse fmt: ${String(files.length)} file(s) not formatted; run \`npx gatehouse fmt --write\`\n`);
  return 1;
}
