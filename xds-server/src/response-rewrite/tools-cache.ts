// The public tool names each caller may call, per virtual server: one tools-entrypoint evaluation
// per caller and policy.
import { type PolicyEngine, TOOLS_ENTRYPOINT, type ToolsResult } from '../../../artifacts/src/policy/engine.ts';

export class ToolsCache {
  private engine?: PolicyEngine;
  private readonly entries = new Map<string, ToolsResult>();
  private static readonly LIMIT = 10_000;

  allowed(engine: PolicyEngine, claims: Record<string, unknown>, virtualServer: string): ReadonlySet<string> {
    if (engine !== this.engine) {
      this.engine = engine;
      this.entries.clear();
    }
    const key = JSON.stringify(claims);
    let result = this.entries.get(key);
    if (!result) {
      const evaluated = engine.evaluate(TOOLS_ENTRYPOINT, { jwt: { claims } }) as ToolsResult | undefined;
      result = evaluated ?? { principals: [], teams: [], virtual_servers: {}, servers: {} };
      if (this.entries.size >= ToolsCache.LIMIT) this.entries.clear();
      this.entries.set(key, result);
    }
    return new Set(result.virtual_servers[virtualServer] ?? []);
  }
}
