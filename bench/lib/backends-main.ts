// [worker process] The demo's upstreams in a process of their own: the MCP SDK servers of the
// registry (streamable HTTP, stateful sessions) and the development identity provider, which
// mints tokens on request (one caller each: a subject of its own). Argument: the registry root and the
// secrets folder. `delay` sets how long each tools/call waits before it is answered (a tool's own latency).
import { join } from 'node:path';
import { loadRegistry } from '../../compiler/src/pipeline/load-registry.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { resourceUrl } from '../../compiler/src/ir/types.ts';
import { startDemoBackends } from '../../demo/src/demo-backends.ts';
import { ensureDemoSecrets } from '../../demo/src/secrets.ts';
import { serveRequests } from './common.ts';

const [root, secretsDir] = process.argv.slice(2);
if (!root || !secretsDir) throw new Error('usage: backends-main.ts ROOT SECRETS_DIR');
const ir = loadRegistry(root, SILENT).ir;
if (!ir) throw new Error(`the registry under ${root} does not load`);
const secrets = ensureDemoSecrets(ir, secretsDir);
// The identity provider's signing key sits beside the secrets (a benchmark's own state folder).
let toolCallDelayMs = 0;
const backends = await startDemoBackends(ir, secrets, join(secretsDir, '..'), { toolCallDelayMs: () => toolCallDelayMs });

serveRequests(async (m) => {
  if (m.cmd === 'delay') {
    toolCallDelayMs = Number(m.ms);
    return {};
  }
  if (m.cmd !== 'token') throw new Error(`unknown command ${String(m.cmd)}`);
  const team = ir.teams.find((t) => t.name === m.team);
  const gateway = ir.gateways[0]!;
  const member = typeof m.member === 'string' ? m.member : 'member';
  return {
    token: await backends.idp.mint({
      sub: `${String(m.team)}-${member}`,
      email: `${String(m.team)}-${member}@example.com`,
      groups: team ? [team.idpGroups[0]!.group] : [],
      audience: gateway.virtualServers.map((vs) => resourceUrl(gateway, vs)),
      expiresIn: 3600,
    }),
  };
});
process.on('SIGTERM', () => void backends.close().finally(() => process.exit(0)));
process.send?.({ ready: true, servers: Object.fromEntries([...backends.servers].map(([name, s]) => [name, s.url])) });
