// The command-line flags of the pinned Envoy, from its own `--help`.
import { execFileSync } from 'node:child_process';
import { toolPath } from '../../toolchain/src/tools.ts';

export function envoyFlags(): string[] {
  const help = execFileSync(toolPath('envoy'), ['--help'], { encoding: 'utf8', timeout: 20_000 });
  const flags = new Set<string>();
  for (const line of help.split('\n')) {
    if (!/^\s+-/.test(line)) continue;
    for (const match of line.matchAll(/(?:^|[\s,])(--?[a-zA-Z][a-zA-Z-]*)/g)) flags.add(match[1]!);
  }
  return [...flags].sort();
}
