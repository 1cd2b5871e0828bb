// The test port picker: ports below the kernel's ephemeral range, never handed out twice, held against other processes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePorts } from '../../testkit/ports.ts';

describe('freePorts', () => {
  it('gives distinct ports below the ephemeral range, each claimed by this process', async () => {
    const ports = await freePorts(40);
    expect(new Set(ports).size).toBe(40);
    const [ephemeralStart] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    for (const port of ports) {
      expect(port).toBeLessThan(ephemeralStart ?? 32_768);
      expect(readFileSync(join(tmpdir(), 'gatehouse-test-ports', String(port)), 'utf8')).toBe(String(process.pid));
    }
    const more = await freePorts(40);
    expect(more.filter((p) => ports.includes(p))).toEqual([]);
  });

  it('never gives another process a port this process holds', async () => {
    const mine = await freePorts(200);
    const script = `import { freePorts } from ${JSON.stringify(join(process.cwd(), 'testkit/ports.ts'))}; console.log(JSON.stringify(await freePorts(1000)));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).toBe('');
    const theirs = JSON.parse(child.stdout) as number[];
    expect(theirs).toHaveLength(1000);
    expect(theirs.filter((p) => mine.includes(p))).toEqual([]);
  });
});
