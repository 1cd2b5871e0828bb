// A synthetic registry for the compile-scale benchmark, generated deterministically (a seeded PRNG):
// N MCP servers with 20 tools each, a single-member virtual server per server plus aggregated ones,
// 200 teams, 2,000 grants, one identity provider and one gateway, one YAML document per file, and
// the example organisation's Rego policies.
// Usage: npx tsx bench/generate-registry.ts OUT_DIR [--servers 1000] [--teams 200] [--grants 2000]
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../toolchain/src/tools.ts';

export interface RegistryShape {
  readonly servers: number;
  readonly toolsPerServer: number;
  readonly teams: number;
  readonly grants: number;
  /** One aggregated virtual server per this many servers (4 members each). */
  readonly aggregateEvery: number;
}

export const DEFAULT_SHAPE: RegistryShape = { servers: 1000, toolsPerServer: 20, teams: 200, grants: 2000, aggregateEvery: 20 };

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
const RISKS = ['low', 'low', 'low', 'low', 'medium', 'medium', 'high', 'critical'] as const;

export interface GeneratedRegistry {
  readonly root: string;
  readonly files: number;
  readonly tools: number;
}

/**
 * Writes the registry and policies under root (replacing it). `variant` changes upstream ports,
 * connect timeouts, route timeouts and the ext_authz timeout (every xDS type but secrets) and
 * nothing else, so that two variants have the same resource names (the xDS benchmark swaps them).
 */
export function generateRegistry(root: string, shape: RegistryShape = DEFAULT_SHAPE, seed = 42, variant = 0): GeneratedRegistry {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  rmSync(root, { recursive: true, force: true });
  const registry = join(root, 'registry');
  let files = 0;
  const write = (path: string, text: string) => {
    const full = join(registry, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
    files++;
  };
  const sw = String(shape.servers - 1).length;
  const tw = String(shape.teams - 1).length;
  const server = (i: number) => `srv-${pad(i, sw)}`;
  const team = (i: number) => `team-${pad(i, tw)}`;
  const tool = (i: number) => `tool_${pad(i, 2)}`;

  write(
    'identity-providers/corp.yaml',
    `apiVersion: gatehouse.dev/v1alpha1
kind: IdentityProvider
metadata:
  name: corp
spec:
  issuer: http://127.0.0.1:7100
  jwks:
    uri: http://127.0.0.1:7100/.well-known/jwks.json
  claims:
    groups: groups
    email: email
`,
  );
  write(
    'gateways/edge.yaml',
    `apiVersion: gatehouse.dev/v1alpha1
kind: Gateway
metadata:
  name: edge
spec:
  fleet: default
  listener:
    address: 127.0.0.1
    port: 10000
  publicUrl: http://127.0.0.1:10000
  authz:
    timeout: ${250 + 50 * variant}ms
`,
  );
  for (let t = 0; t < shape.teams; t++) {
    write(
      `teams/${team(t)}.yaml`,
      `apiVersion: gatehouse.dev/v1alpha1
kind: Team
metadata:
  name: ${team(t)}
spec:
  description: Synthetic team ${t}.
  costCenter: CC-${pad(t, 4)}
  clearance: ${pick(CLASSIFICATIONS)}
  idpGroups:
    - provider: corp
      group: group-${t}
`,
    );
  }
  for (let s = 0; s < shape.servers; s++) {
    const tools = Array.from(
      { length: shape.toolsPerServer },
      (_, i) => `    - name: ${tool(i)}
      description: Synthetic tool ${i} of server ${s}.
      risk: ${pick(RISKS)}
      costPerCall: ${(int(1, 100) / 1000).toFixed(3)}`,
    ).join('\n');
    write(
      `mcp-servers/${server(s)}.yaml`,
      `apiVersion: gatehouse.dev/v1alpha1
kind: McpServer
metadata:
  name: ${server(s)}
spec:
  description: Synthetic MCP server ${s}.
  owner: ${team(s % shape.teams)}
  upstream:
    url: http://127.0.0.1:${20000 + 5000 * variant + s}/mcp
    timeout: ${15 + variant}s
    connectTimeout: ${2 + variant}s
  dataClassification: ${pick(CLASSIFICATIONS)}
  region: eu-west-${1 + (s % 3)}
${s % 4 === 0 ? `  credential:\n    secretRef: ${server(s)}-token\n` : ''}  tools:
${tools}
`,
    );
    write(
      `virtual-servers/${server(s)}.yaml`,
      `apiVersion: gatehouse.dev/v1alpha1
kind: VirtualServer
metadata:
  name: vs-${server(s)}
spec:
  description: Synthetic server ${s} on its own.
  members:
    - server: ${server(s)}
      tools: ["*"]
`,
    );
  }
  for (let a = 0; a * shape.aggregateEvery < shape.servers; a++) {
    const members = Array.from({ length: Math.min(4, shape.servers) }, (_, i) => server((a * shape.aggregateEvery + i * 5) % shape.servers));
    const unique = [...new Set(members)];
    write(
      `virtual-servers/agg-${pad(a, sw)}.yaml`,
      `apiVersion: gatehouse.dev/v1alpha1
kind: VirtualServer
metadata:
  name: agg-${pad(a, sw)}
spec:
  description: Synthetic aggregate ${a}.
  members:
${unique.map((m, i) => `    - server: ${m}\n      tools: [${i % 2 === 0 ? '"*"' : `"tool_0*", ${tool(15)}`}]`).join('\n')}
`,
    );
  }
  const gw = String(shape.grants - 1).length;
  for (let g = 0; g < shape.grants; g++) {
    const subjects = [`team:${team(g % shape.teams)}`, ...(random() < 0.1 ? [`team:${team(int(0, shape.teams - 1))}`] : [])];
    const access = Array.from({ length: int(1, 3) }, () => {
      const s = int(0, shape.servers - 1);
      const tools = random() < 0.15 ? ['"*"'] : [...new Set(Array.from({ length: int(1, 5) }, () => tool(int(0, shape.toolsPerServer - 1))))];
      return { s, tools };
    });
    const seen = new Set<number>();
    write(
      `grants/grant-${pad(g, gw)}.yaml`,
      `apiVersion: gatehouse.dev/v1alpha1
kind: Grant
metadata:
  name: grant-${pad(g, gw)}
spec:
  description: Synthetic grant ${g}.
  subjects: [${[...new Set(subjects)].join(', ')}]
  access:
${access
  .filter(({ s }) => !seen.has(s) && (seen.add(s), true))
  .map(({ s, tools }) => `    - server: ${server(s)}\n      tools: [${tools.join(', ')}]`)
  .join('\n')}
`,
    );
  }
  cpSync(join(PROJECT_ROOT, 'policies'), join(root, 'policies'), { recursive: true });
  return { root, files, tools: shape.servers * shape.toolsPerServer };
}

/** The secret values the control plane needs for a generated registry (one per credential). */
export function generatedSecrets(shape: RegistryShape): Record<string, string> {
  const sw = String(shape.servers - 1).length;
  const env: Record<string, string> = {};
  for (let s = 0; s < shape.servers; s += 4) env[`GATEHOUSE_SECRET_SRV_${pad(s, sw)}_TOKEN`] = `Bearer synthetic-${s}`;
  return env;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, ...rest] = process.argv.slice(2);
  if (!out) {
    process.stderr.write('Usage: npx tsx bench/generate-registry.ts OUT_DIR [--servers N] [--teams N] [--grants N]\n');
    process.exit(2);
  }
  const flag = (name: string, fallback: number) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? Number(rest[i + 1]) : fallback;
  };
  const shape = {
    ...DEFAULT_SHAPE,
    servers: flag('servers', DEFAULT_SHAPE.servers),
    teams: flag('teams', DEFAULT_SHAPE.teams),
    grants: flag('grants', DEFAULT_SHAPE.grants),
  };
  const result = generateRegistry(out, shape);
  process.stdout.write(`${result.files} files, ${result.tools} tools under ${result.root}\n`);
}
