// The catalogue of diagnostic codes: a title and what to do, for SARIF rules and docs/diagnostics.md
// (generated from it by docgen/src/diagnostics-reference.ts). Its keys are the DiagnosticCode type, so a
// diagnostic cannot carry a code missing here; test/docs/diagnostic-codes.test.ts fails on a code here
// that no source emits.

export interface CodeDoc {
  readonly title: string;
  readonly description: string;
}

export const CODES = {
  'no-registry': { title: 'No registry folder', description: 'The root has no registry/ folder. Run from the repository root or pass --root.' },
  'unreadable-file': { title: 'Unreadable file', description: 'A registry or policy file could not be read (permissions, a broken link).' },
  'yaml-syntax': {
    title: 'YAML syntax error',
    description: 'The file is not valid YAML (bad indentation, an unclosed quote or bracket, a duplicate key, a tab).',
  },
  'path-outside-root': {
    title: 'Path outside the repository',
    description:
      'A registry or policy file is a link to a file outside the repository root, or a jwks.file path leaves the root (`..`, an absolute path, ' +
      'a link). Nothing outside the root is read: keep the file in the repository.',
  },
  'file-too-large': {
    title: 'File too large',
    description: 'A registry, policy or JWKS file is larger than 1 MiB; it is refused before it is read. Split the file.',
  },
  'too-many-documents': {
    title: 'Too many documents in a file',
    description: 'A registry file holds more than 1000 YAML documents (separated by `---`). Split the file.',
  },
  'unknown-kind': { title: 'Unknown kind', description: 'A document has no kind, or a kind Gatehouse does not know.' },
  schema: {
    title: 'Schema violation',
    description: 'A field is missing, unknown, of the wrong type, or fails its pattern (for example a name that is not a DNS label).',
  },
  'duplicate-name': { title: 'Duplicate name', description: 'Two documents of one kind share a name.' },
  'unknown-reference': {
    title: 'Unknown reference',
    description: 'A document refers to a server, team, identity provider, gateway or virtual server that does not exist.',
  },
  'unscoped-user-principal': {
    title: 'User principal without identity provider',
    description:
      'A grant subject `user:<sub or email>` names no identity provider, so it would match any provider\'s token with that sub. Write ' +
      '`user:<identity provider>/<sub>`, or `email:<address>` for an email (matched only in tokens with `email_verified: true`).',
  },
  'unknown-tool': { title: 'Unknown tool', description: 'A tool name or glob selects no tool of the server it names.' },
  'duplicate-tool': { title: 'Duplicate tool', description: 'A server lists the same tool twice.' },
  'tool-name-collision': { title: 'Tool name collision', description: 'Two members of a virtual server would expose the same client-facing tool name.' },
  'empty-virtual-server': { title: 'Empty virtual server', description: 'A virtual server has no members, so it would expose no tools.' },
  'aggregated-capability-lost': {
    title: 'Capability lost in aggregation',
    description:
      'A virtual server with several members (served through Envoy\'s mcp_router) includes a server that declares a capability mcp_router cannot carry: ' +
      '`resources.subscribe` and `listChanged` (no standalone GET event stream, so the notifications never reach the client) and `roots` ' +
      '(a server asks for roots on that stream). Clients of that virtual server lose the capability; ' +
      'serve the server through a virtual server of its own (one member: full MCP fidelity) where they need it.',
  },
  'invalid-url': {
    title: 'Invalid URL',
    description:
      'An upstream URL, JWKS URI, authorization-server URL or gateway public URL does not parse as a URL (for example an IPv6 address with a zone such as ' +
      '`%eth0`, which Envoy cannot dial). Write the URL with a host name or a plain IP address.',
  },
  'invalid-port': {
    title: 'Invalid port',
    description: 'A URL or `host:port` names port 0 or a port above 65535. Use a port from 1 to 65535, or leave it out for the scheme\'s default.',
  },
  'no-tools': { title: 'Server without tools', description: 'An McpServer lists no tools and has no openapi document to generate them from.' },
  'openapi-source': {
    title: 'OpenAPI source',
    description: 'An McpServer\'s openapi needs exactly one of file and url, and a url needs its sha256, so the generated tools cannot change unreviewed.',
  },
  'openapi-fetch': {
    title: 'OpenAPI document not fetched',
    description:
      'The openapi.url could not be fetched (network, HTTP status, over 1 MiB), or its SHA-256 is not the pinned one: review the change, then update sha256.',
  },
  'openapi-document': {
    title: 'Invalid OpenAPI document',
    description:
      'The OpenAPI document is not OpenAPI 3.0/3.1, is not valid (@apidevtools/swagger-parser), or has `$ref`s to other files or recursive schemas.',
  },
  'openapi-operation': {
    title: 'OpenAPI operation cannot be a tool',
    description:
      'A selected operation has no operationId or one that is not a tool name (rename it), two operations make one tool, openapi.rename names no ' +
      'operation, or nothing is selected.',
  },
  'openapi-unsupported': {
    title: 'Not carried by the REST bridge',
    description:
      'Envoy\'s mcp_json_rest_bridge cannot carry this part of an operation: security other than the injected credential, parameter styles other than ' +
      'simple (path, header) and form with explode (query), cookies, non-JSON bodies, several servers or per-operation servers, HEAD/OPTIONS/TRACE, ' +
      'or an OpenAPI server in an aggregated virtual server. Exclude the operation or change the API.',
  },
  'openapi-tool-settings': {
    title: 'Settings for no generated tool',
    description: 'An OpenAPI server\'s tools entry names a tool its document does not generate (after include, exclude and rename).',
  },
  'jwks-source': { title: 'JWKS source', description: 'An identity provider needs exactly one of jwks.uri or jwks.file.' },
  'jwks-file': { title: 'JWKS file', description: 'A local JWKS file is missing, not JSON, has no keys, or holds private key material.' },
  'upstream-identity-conflict': {
    title: 'Two upstream credentials',
    description: 'An McpServer names both `credential` (a static secret) and `upstream.identity`. Keep one.',
  },
  'upstream-identity-provider': {
    title: 'Upstream identity provider',
    description: 'An McpServer `upstream.identity` names an IdentityProvider that does not exist or has no `tokenEndpoint`.',
  },
  'upstream-identity-trust': {
    title: 'Untrusted caller identity provider',
    description:
      'Token exchange sends callers\' tokens to one identity provider; callers of another IdentityProvider would be refused there. ' +
      'List the providers it accepts in `trustedIssuers`, or exchange elsewhere.',
  },
  'upstream-identity-aggregated': {
    title: 'Upstream identity in an aggregated virtual server',
    description:
      'A server with `upstream.identity` is a member of a virtual server with several members. Its token is fetched for it alone, and an ' +
      'aggregated endpoint sends some requests to every member: serve it from a virtual server of its own.',
  },
  'no-identity-provider': {
    title: 'No identity provider',
    description: 'Gateways serve traffic but no identity provider is defined, so no token could be accepted.',
  },
  'grant-default-capabilities': {
    title: 'Grant gives the default capabilities',
    description:
      'A Grant names neither `capabilities` nor `methods`, so it gives call-tools only: its subjects can list a server\'s resources and prompts ' +
      '(listing needs no grant) but reading, subscribing, using a prompt and completion are refused. Say what they may do, for example ' +
      '`capabilities: [call-tools, read-resources, use-prompts]`, or `capabilities: [call-tools]` to keep tools only.',
  },
  'subscribe-without-read': {
    title: 'Subscription without read',
    description:
      'A Grant gives subscribe-resources (resources/subscribe) but not read-resources (resources/read): the subjects are told a resource ' +
      'changed and are refused when they read it. Grant both, or neither.',
  },
  'listener-conflict': { title: 'Listener conflict', description: 'Two gateways of a fleet listen on the same address and port.' },
  'unserved-virtual-server': { title: 'Unserved virtual server', description: 'No gateway serves this virtual server.' },
  'gateway-without-tls': {
    title: 'Gateway without TLS',
    description: 'The public URL is https but the listener speaks plain HTTP and no proxy hop in front is declared (trustedProxyHops).',
  },
  'limits-burst-below-rate': {
    title: 'Burst below the call rate',
    description: 'A gateway\'s or virtual server\'s `limits.burst` is smaller than its `limits.callsPerSecond`: callers could never use the rate.',
  },
  'tls-gateway-with-http-url': { title: 'TLS gateway with an http URL', description: 'The listener terminates TLS but the public URL says http://.' },
  'rego-syntax': { title: 'Rego syntax error', description: 'A policy file does not parse.' },
  'rego-type': { title: 'Rego type error', description: 'A policy calls an undefined function or uses a value of the wrong type.' },
  'rego-compile': { title: 'Rego compile error', description: 'opa check --strict rejects a policy (unused import or variable, shadowing, a rule conflict).' },
  'rego-error': { title: 'OPA failed', description: 'OPA failed without a structured error.' },
  'rego-build': { title: 'Bundle build failed', description: 'opa build -t wasm failed.' },
  'reserved-package': {
    title: 'Reserved package',
    description:
      'A file in policies/ declares a package under gatehouse other than gatehouse.org: that namespace holds the base policy, ' +
      'which ships in the Gatehouse package.',
  },
  'missing-entrypoint': { title: 'Missing entrypoint', description: 'The policies do not define gatehouse/authz/decision and gatehouse/access/tools.' },
  'wasm-builtin': {
    title: 'Builtin unavailable in Wasm',
    description: 'The policy calls a builtin that OPA\'s WebAssembly target does not implement and Gatehouse does not provide.',
  },
  'bundle-invalid': { title: 'Bundle invalid', description: 'The built bundle does not load or its entrypoints fail to evaluate.' },
  'xds-invalid': { title: 'Invalid xDS', description: 'Emitted Envoy configuration is inconsistent or does not match the Envoy API (a Gatehouse bug).' },
  'envoy-rejected': { title: 'Rejected by Envoy', description: 'envoy --mode validate rejects the emitted configuration.' },
  'output-folder': { title: 'Output folder', description: 'The --out folder holds files that are not Gatehouse artifacts.' },
  'tool-lock-invalid': {
    title: 'Tool lock invalid',
    description: 'tools.lock.yaml cannot be read as a tool lock; write it again with `gatehouse discover`.',
  },
  'tool-drift': {
    title: 'Tool drift',
    description:
      'Gate (check --live): a server\'s live tool definitions differ from tools.lock.yaml (a changed, added or removed tool). The gateway hides and refuses ' +
      'the tools that differ; review the change and update the lock with `gatehouse discover`.',
  },
  'duplicate-check-settings': {
    title: 'More than one CheckSettings',
    description: 'A registry holds at most one CheckSettings document; merge them into one.',
  },
  'default-allow': {
    title: 'Default allow',
    description:
      'Gate: with every grant removed, the policy still lets some subject call a tool or use a virtual server, so access does not come from grants ' +
      'alone. Remove the rule that allows without a grant (docs/checks.md#default-allow).',
  },
  'high-risk-broad-grant': {
    title: 'High-risk tool granted broadly',
    description:
      'Gate: a high-risk tool is granted to every authenticated user, or selected by a wildcard (`*`, `create_*`). Grant it by name, to the teams ' +
      'that need it (docs/checks.md#high-risk-broad-grant).',
  },
  'team-without-idp-mapping': {
    title: 'Grant to a team without identity-provider mapping',
    description:
      'Gate: a grant names a team with no idpGroups entry, so no token can belong to the team and the grant does nothing. Map the team to a group, ' +
      'or remove the grant (docs/checks.md#team-without-idp-mapping).',
  },
  'classification-not-cleared': {
    title: 'Team not cleared for the data',
    description:
      'Gate: a team (or every authenticated user) can call a tool of a server whose data classification is above the team\'s clearance. Raise the ' +
      'clearance, or narrow the grant or the policy (docs/checks.md#classification-not-cleared).',
  },
  'unusable-grant': {
    title: 'Grant nobody can use',
    description:
      'Gate: a Grant gives a subject tools that the compiled policy refuses that subject on every call (an organisation rule such as a clearance ' +
      'check denies them), or that no virtual server serves. Remove them from the grant, or change what denies them (docs/checks.md#unusable-grant).',
  },
  'upstream-not-allowed': {
    title: 'Upstream outside the allowed hosts or regions',
    description:
      'Gate: an MCP server\'s upstream host or region is not in CheckSettings upstreams.allowedHosts / allowedRegions (docs/checks.md#upstream-not-allowed).',
  },
  'missing-owner-or-cost-center': {
    title: 'Server without owner or cost center',
    description:
      'Gate: an MCP server has no owner team, or no cost center (its own or its owner\'s). Set spec.owner and spec.costCenter ' +
      '(docs/checks.md#missing-owner-or-cost-center).',
  },
  'rego-tests-failing': {
    title: 'Rego tests failing',
    description: 'Gate: `opa test` reports a failing or erroring test (docs/checks.md#rego-tests-failing).',
  },
  'rego-coverage': {
    title: 'Rego coverage below threshold',
    description:
      'Gate: `opa test --coverage` is below CheckSettings rego.coverageThreshold (default 90%). Add tests for the uncovered lines ' +
      '(docs/checks.md#rego-coverage).',
  },
  'rego-format': {
    title: 'Rego not formatted',
    description: 'Gate: a policy file differs from `opa fmt` output. Run `npx gatehouse fmt --write` (docs/checks.md#rego-format).',
  },
  'rego-lint': {
    title: 'Regal finding',
    description: 'Gate: Regal, the Rego linter, reports a problem; the message names the Regal rule and links its documentation (docs/checks.md#rego-lint).',
  },
  'deny-rule-removed': {
    title: 'Deny rule removed',
    description: 'Gate: the change removes a `deny` rule (an organisation rule) that the base revision has (docs/checks.md#deny-rule-removed).',
  },
  'new-high-risk-grant': {
    title: 'New high-risk access',
    description:
      'Gate: a subject gains a high-risk tool relative to the base revision; the team that owns the tool\'s server must review ' +
      '(docs/checks.md#new-high-risk-grant).',
  },
  'shared-secret-ref': {
    title: 'Credential sent to another server or host',
    description:
      'Gate: a credential secretRef is used by more than one MCP server, or by a server whose upstream host changed since the base revision, ' +
      'so the merge would send an existing credential to a new host. Allow it in CheckSettings sharedSecretRefs (docs/checks.md#shared-secret-ref).',
  },
  'upstream-identity-changed': {
    title: 'Upstream identity mode changed',
    description:
      'Information of `gatehouse check --base`: an MCP server moves between a static secret, a per-caller token exchange and a service token ' +
      '(McpServer `upstream.identity`). Shows the identity provider, audience and references, never a value.',
  },
  'credential-changed': {
    title: 'Credential added, removed or moved',
    description:
      'Information of `gatehouse check --base`: an MCP server gains, loses or changes its upstream credential, or sends it to another host. ' +
      'Shows the secretRef and the host, never a value (docs/checks.md#the-access-diff).',
  },
  'secret-not-found': {
    title: 'Credential not found',
    description:
      '`gatehouse check --secrets-dir`: an MCP server\'s credential secretRef has no value in the secrets folder nor in the environment ' +
      '(GATEHOUSE_SECRET_<NAME>), so the control plane would refuse calls to that server (docs/checks.md#credentials-that-resolve).',
  },
  'base-not-compiled': {
    title: 'Base revision does not compile',
    description: 'The base revision given with --base does not compile, so there is no access diff and the gates that compare with the base do not run.',
  },
  'static-decisions': {
    title: 'Static decisions could not be computed',
    description:
      'A gateway decides tool calls in RBAC (`authz.staticDecisions: rbac`), and OPA failed to partially evaluate the organisation rules for ' +
      'some tool; the compile stops rather than guess (docs/decisions.md).',
  },
  'guardrail-detector-settings': {
    title: 'Guardrail detector settings do not fit its type',
    description:
      'A Guardrail detector lacks the list its type needs (`words` for `words`, `patterns` for `regex`, `service` for `external`) or carries ' +
      'one its type ignores. Give each detector exactly the settings of its type.',
  },
  'guardrail-invalid-regex': {
    title: 'Guardrail pattern is not a regular expression',
    description: 'A `regex` detector\'s pattern does not compile as a JavaScript regular expression in Unicode mode. The message gives the reason.',
  },
  'guardrail-unsafe-regex': {
    title: 'Guardrail pattern could backtrack catastrophically',
    description:
      'A `regex` detector\'s pattern has a shape that can take exponential time on some inputs (ReDoS): a repeated group that itself holds a ' +
      'repeat (`(a+)+`, `(\\w+\\s?)*`), alternatives under a repeat that can match the same text (`(a|ab)*`), or a backreference. Every tool ' +
      'call would pass through it, so it is refused. Rewrite it without nested repeats (`(ab)+` is fine, `[a-z]+` is fine).',
  },
  'guardrail-no-target': {
    title: 'Guardrail applies to nothing',
    description: 'A Guardrail\'s `appliesTo` names no server, tool or virtual server, so it would inspect nothing. Name what it protects.',
  },
} as const satisfies Readonly<Record<string, CodeDoc>>;

/** Every code a diagnostic can carry: emitting one the catalogue lacks fails to typecheck. */
export type DiagnosticCode = keyof typeof CODES;

export function describeCode(code: DiagnosticCode): CodeDoc {
  return CODES[code];
}
