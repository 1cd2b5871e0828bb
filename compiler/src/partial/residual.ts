// What a residual of OPA's partial evaluation of the organisation rules depends on. The rules are
// partially evaluated for one tools/call (virtual server, method and tool known) with the subject
// (data.gatehouse.subject) and the rest of the request (input.jwt, arguments, headers, body)
// unknown; what the residual still reads decides where the call can be decided.

/** How the organisation rules treat a tools/call of one tool, over every possible caller and request. */
export type OrgRuleDependence =
  /** No rule can deny it: no residual query. */
  | { readonly kind: 'never' }
  /** A rule denies it whatever the caller or request: a residual query with no condition. */
  | { readonly kind: 'always' }
  /** Whether a rule denies depends only on the caller's teams (data.gatehouse.subject.teams). */
  | { readonly kind: 'teams' }
  /** Something Envoy's RBAC cannot see or decide: the refs and calls that say what. */
  | { readonly kind: 'request'; readonly reads: readonly string[] };

/** The subject's teams: the one unknown the compiler can enumerate (the registry lists every team). */
const TEAMS_REF = 'data.gatehouse.subject.teams';

/**
 * Builtins whose value is not known at compile time (time, randomness, the network, the runtime).
 * OPA keeps calls to them in residuals (they are not evaluated during partial evaluation).
 */
const NON_DETERMINISTIC = [
  'http.send', 'time.now_ns', 'rand.intn', 'uuid.rfc4122', 'uuid.parse', 'net.lookup_ip_addr', 'opa.runtime', 'trace',
  'io.jwt.decode_verify', 'crypto.x509.parse_and_verify_certificates', 'providers.aws.sign_req',
];

/** `result` is the `partial` member of `opa eval --partial --format json`. */
export function orgRuleDependence(result: unknown): OrgRuleDependence {
  const queries = isObject(result) && Array.isArray(result.queries) ? (result.queries as unknown[]) : [];
  if (queries.length === 0) return { kind: 'never' };
  const reads = new Set<string>();
  for (const ref of refsIn(result)) {
    if (ref === TEAMS_REF || ref.startsWith(`${TEAMS_REF}.`) || ref.startsWith(`${TEAMS_REF}[`)) continue;
    if (ref.startsWith('input')) reads.add(ref);
    else if (ref.startsWith('data.')) {
      if (!ref.startsWith('data.partial.') && !ref.startsWith('data.registry.') && ref !== 'data.registry') reads.add(ref);
    } else if (NON_DETERMINISTIC.some((name) => ref === name || ref.startsWith(`${name}.`))) reads.add(`${ref}()`);
  }
  if (reads.size > 0) return { kind: 'request', reads: [...reads].sort() };
  if (queries.some((q) => Array.isArray(q) && q.length === 0)) return { kind: 'always' };
  // What is left reads the teams, or only constants the enumeration of team sets evaluates exactly.
  return { kind: 'teams' };
}

/** Every ref in an OPA AST (JSON), as dotted text: `input.mcp.arguments.amount`, `time.now_ns`. */
function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) refsIn(item, out);
    return out;
  }
  if (!isObject(node)) return out;
  if (node.type === 'ref' && Array.isArray(node.value)) {
    out.push(refText(node.value as unknown[]));
  }
  for (const value of Object.values(node)) refsIn(value, out);
  return out;
}

function refText(parts: readonly unknown[]): string {
  let text = '';
  for (const [index, part] of parts.entries()) {
    if (!isObject(part)) continue;
    if (index === 0) text = String(part.value);
    else if (part.type === 'string') text += `.${String(part.value)}`;
    else {
      // A computed key (a variable): the ref reads some member; keep the prefix it reads under.
      text += '[_]';
      break;
    }
  }
  return text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
