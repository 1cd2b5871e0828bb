// Builtins a Wasm bundle may call on its host. OPA compiles most builtins into the module; the rest
// are imported, and an import nobody provides fails only when that code path runs. Gatehouse
// refuses such a bundle at build time instead.

/** Builtins the @open-policy-agent/opa-wasm SDK implements in JavaScript. */
export const SDK_BUILTINS: readonly string[] = ['json.is_valid', 'sprintf', 'regex.split', 'yaml.is_valid', 'yaml.marshal', 'yaml.unmarshal'];

/** Builtins Gatehouse adds (synchronous, as opa-wasm requires). */
export const GATEHOUSE_BUILTINS: Readonly<Record<string, (...args: never[]) => unknown>> = {
  // The wall clock at start plus the monotonic time since, so a clock step cannot move it backwards.
  'time.now_ns': () => MS_AT_START * 1e6 + Number(process.hrtime.bigint() - HRTIME_AT_START),
};

const HRTIME_AT_START = process.hrtime.bigint();
const MS_AT_START = Date.now();

/** The host builtins a module needs that nothing provides, sorted. */
export function unavailableBuiltins(required: readonly string[]): string[] {
  const provided = new Set([...SDK_BUILTINS, ...Object.keys(GATEHOUSE_BUILTINS)]);
  return required.filter((name) => !provided.has(name)).sort();
}
