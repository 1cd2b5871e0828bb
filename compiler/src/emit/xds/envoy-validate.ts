// [impure] Asks the pinned Envoy itself whether it accepts a fleet's configuration
// (`envoy --mode validate` on a bootstrap that carries the same resources statically).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../../toolchain/src/run.ts';
import { requireTool } from '../../../../toolchain/src/tools.ts';
import type { FleetResources } from '../../../../artifacts/src/fleet-resources.ts';
import { staticBootstrap } from './static-bootstrap.ts';

/** Undefined when Envoy accepts the fleet's configuration, else Envoy's reason. */
export async function envoyValidate(fleet: FleetResources): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-envoy-'));
  try {
    const config = join(dir, `${fleet.fleet}.json`);
    writeFileSync(config, JSON.stringify(staticBootstrap(fleet)));
    const result = await run(requireTool('envoy'), ['--mode', 'validate', '-c', config, '--log-level', 'error', '--base-id', String(process.pid % 60000)], {
      timeoutMs: 60_000,
    });
    if (result.code === 0) return undefined;
    const text = `${result.stdout}\n${result.stderr}`;
    const reason = /error initializing configuration '[^']*': (.*)/.exec(text)?.[1] ?? text.trim().split('\n').slice(-3).join(' ');
    return reason.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
