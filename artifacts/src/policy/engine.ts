// Evaluates a compiled policy bundle with @open-policy-agent/opa-wasm: the one engine behind the
// access matrix, the PR access diff and ext_authz decisions.
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { GATEHOUSE_BUILTINS } from './builtins.ts';
import { readTarGz, UnpackedTooLarge } from './tar.ts';

export const DECISION_ENTRYPOINT = 'gatehouse/authz/decision';
export const TOOLS_ENTRYPOINT = 'gatehouse/access/tools';
/** What the tools entrypoint returns: what one subject may call. */
export interface ToolsResult {
  readonly principals: readonly string[];
  readonly teams: readonly string[];
  readonly virtual_servers: Readonly<Record<string, readonly string[]>>;
  readonly servers: Readonly<Record<string, readonly string[]>>;
}

export const ENTRYPOINTS: readonly string[] = [DECISION_ENTRYPOINT, TOOLS_ENTRYPOINT];

/** The files of a bundle Gatehouse needs. */
export interface BundleContents {
  readonly wasm: Buffer;
  readonly data: unknown;
  readonly manifest: { readonly revision?: string; readonly wasm?: readonly { entrypoint: string; module: string }[] };
}

/** Splits a bundle archive into its Wasm module, data and manifest; throws with a readable message. */
export function readBundle(archive: Uint8Array): BundleContents {
  let files: Map<string, Buffer>;
  try {
    files = readTarGz(archive);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const what = error instanceof UnpackedTooLarge ? 'the policy bundle is refused' : 'not a policy bundle (gzipped tar)';
    throw new Error(`${what}: ${reason}`, { cause: error });
  }
  const wasm = files.get('policy.wasm');
  if (!wasm) throw new Error('the bundle has no policy.wasm (was it built with `opa build -t wasm`?)');
  const data = files.get('data.json');
  const manifest = files.get('.manifest');
  return {
    wasm,
    data: data ? (JSON.parse(data.toString('utf8')) as unknown) : {},
    manifest: manifest ? (JSON.parse(manifest.toString('utf8')) as BundleContents['manifest']) : {},
  };
}

/** An evaluation error, with opa-wasm's strings and plain objects turned into a message. */
export class PolicyEvaluationError extends Error {
  constructor(entrypoint: string, cause: unknown) {
    super(`policy evaluation of ${entrypoint} failed: ${describe(cause)}`);
    this.name = 'PolicyEvaluationError';
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === 'string') return cause;
  if (typeof cause === 'object' && cause !== null && 'message' in cause) return String(cause.message);
  return JSON.stringify(cause);
}

/** A loaded bundle. `evaluate` is synchronous, so calls on one event loop never interleave. */
export class PolicyEngine {
  private constructor(
    private readonly policy: LoadedPolicy,
    readonly revision: string,
  ) {}

  /**
   * Loads a bundle archive (tar.gz). Memory grows on demand up to maxMemoryPages (64 KiB each).
   * `options.data` replaces the bundle's data, for evaluating the same policy against other data
   * (`gatehouse check` evaluates it with every grant removed).
   */
  static async load(archive: Uint8Array, maxMemoryPages = 16384, options: { readonly data?: (bundled: unknown) => object } = {}): Promise<PolicyEngine> {
    const bundle = readBundle(archive);
    const policy = await loadPolicy(bundle.wasm, { initial: 64, maximum: maxMemoryPages }, GATEHOUSE_BUILTINS);
    policy.setData(options.data ? options.data(bundle.data) : (bundle.data as object));
    const entrypoints = policy.entrypoints as Record<string, number>;
    for (const entrypoint of ENTRYPOINTS) {
      if (!(entrypoint in entrypoints)) {
        throw new Error(`the bundle has no entrypoint ${entrypoint}`);
      }
    }
    return new PolicyEngine(policy, bundle.manifest.revision ?? '');
  }

  /** The host builtins the module imports (names), from the module's own table. */
  requiredHostBuiltins(): string[] {
    // opa-wasm keeps either the instance or the instantiation result ({module, instance}).
    const loaded = this.policy.wasmInstance;
    const instance = 'instance' in loaded ? loaded.instance : loaded;
    const abi = instance.exports as { builtins(): number; opa_json_dump(address: number): number };
    const address = abi.opa_json_dump(abi.builtins());
    const bytes = new Uint8Array(this.policy.mem.buffer);
    const end = bytes.indexOf(0, address);
    const table = JSON.parse(Buffer.from(bytes.subarray(address, end)).toString('utf8')) as Record<string, number>;
    return Object.keys(table).sort();
  }

  /** Evaluates an entrypoint; undefined when the rule is undefined for this input. */
  evaluate(entrypoint: string, input: unknown): unknown {
    let result: unknown;
    try {
      result = this.policy.evaluate(input, entrypoint);
    } catch (error) {
      throw new PolicyEvaluationError(entrypoint, error);
    }
    const [first] = Array.isArray(result) ? (result as { result: unknown }[]) : [];
    return first?.result;
  }
}
