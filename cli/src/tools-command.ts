// `gatehouse tools install|check [TOOL]…`: installs the pinned tools into the tools cache (by default
// the ones every install needs; tools installed only on request, such as promtool, by name).
import { checkTools, DEFAULT_TOOLS, installTools, ON_REQUEST_TOOLS, type ToolStatus } from '../../toolchain/src/install.ts';
import { TOOLS, toolsDir, type ToolName } from '../../toolchain/src/tools.ts';
import { BROWSER_NAME, checkBrowser, installBrowser } from '../../toolchain/src/browser.ts';
import { parseFlags } from './args.ts';
import { UsageError } from './usage-error.ts';

export async function run(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseFlags(argv, {}, true);
  const action = positionals[0] ?? 'check';
  if (values.help) {
    const lists = `Default: ${DEFAULT_TOOLS.join(', ')}. On request only: ${[...ON_REQUEST_TOOLS, BROWSER_NAME].join(', ')} (chromium: apt-get).`;
    process.stdout.write(`Usage: gatehouse tools install|check [TOOL]…\n  ${lists}\n`);
    return 0;
  }
  if (action !== 'install' && action !== 'check') throw new UsageError(`unknown action "${action}"`);
  const named = positionals.slice(1);
  if (named.length === 1 && named[0] === BROWSER_NAME) return browser(action);
  const unknown = named.filter((name) => !(name in TOOLS));
  if (unknown.length > 0) throw new UsageError(`unknown tool ${unknown.join(', ')}; known: ${Object.keys(TOOLS).join(', ')}`);
  const tools = named.length > 0 ? (named as ToolName[]) : DEFAULT_TOOLS;
  const say = (line: string) => process.stderr.write(`gatehouse tools: ${line}\n`);
  say(`tools folder ${toolsDir()}`);
  const statuses = action === 'install' ? await installTools(say, process.env, tools) : await checkTools(process.env, tools);
  return report(statuses, say);
}

/** The test browser is a system package (toolchain/src/browser.ts), named alone. */
async function browser(action: 'install' | 'check'): Promise<number> {
  const say = (line: string) => process.stderr.write(`gatehouse tools: ${line}\n`);
  const status = action === 'install' ? await installBrowser(say) : await checkBrowser();
  say(`chromium: ${status.ok ? '' : 'MISSING: '}${status.detail}`);
  return status.ok ? 0 : 1;
}

function report(statuses: readonly ToolStatus[], say: (line: string) => void): number {
  const failed = statuses.filter((s) => !s.ok);
  for (const s of statuses) if (s.ok) say(`${s.tool}: ${s.detail}`);
  for (const s of failed) say(`${s.tool}: MISSING: ${s.detail}`);
  return failed.length === 0 ? 0 : 1;
}
