// The call-outcome filter: Envoy's Lua filter with the call-outcome script (call-outcome-lua.ts),
// idle by default (a route without its per-route config runs no script) and switched on by the
// tools/call routes whose responses no control-plane processor needs to see: a tool that keeps
// nothing of its result (`audit.results: none`) on a virtual server that is neither guarded nor
// aggregated. Its call's outcome is then read in Envoy, off the control plane; a tool that keeps a
// digest or a payload still takes the result recorder (recordResultsOn), which canonicalises and
// redacts. Placed after the MCP filter, so the script is chosen on the route the method picked and
// reads the call's id; and before the REST bridge, so it reads the JSON-RPC response the bridge made.
import type { AnyJson } from '@bufbuild/protobuf/wkt';
import { anyOf } from '../../../../artifacts/src/envoy-json.ts';
import { TYPE } from '../../../../artifacts/src/type-urls.ts';
import { callOutcomeLua } from './call-outcome-lua.ts';
import type { HttpFilter } from './http-filters.ts';

export const CALL_OUTCOME_FILTER = 'envoy.filters.http.lua';
const SCRIPT = 'gatehouse_call_outcome';

export function callOutcomeFilter(): HttpFilter {
  return { name: CALL_OUTCOME_FILTER, typed_config: anyOf(TYPE.lua, { source_codes: { [SCRIPT]: { inline_string: callOutcomeLua() } } }) };
}

/** Per-route config that runs the script on the route's responses. */
export function callOutcomeOn(): AnyJson {
  return anyOf(TYPE.luaPerRoute, { name: SCRIPT });
}
