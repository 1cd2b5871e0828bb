// Proof of equivalence for decisions compiled into Envoy RBAC (compiler/src/partial/, emit/rbac/):
// for generated registries (teams, identity providers, grants to every principal kind, servers of
// every data classification, aggregated and single virtual servers) and generated calls (claims
// with known and unknown issuers, group claims as lists, strings or junk, verified and unverified
// emails; session ids of the caller's own, of another caller or virtual server, or unverified), the
// RBAC filter followed by ext_authz (the Wasm policy and the session binding check, for what RBAC
// passes on) decides exactly like ext_authz alone. The organisation rules are the example's
// (clearance by team, the refund cap on arguments). A seeded generator, so a failure replays.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DECISION_ENTRYPOINT, PolicyEngine } from '../../artifacts/src/policy/engine.ts';
import type { PolicyData } from '../../compiler/src/emit/policy/policy-data.ts';
import { rbacFilter } from '../../compiler/src/emit/rbac/rbac-filter.ts';
import { placeToolCalls } from '../../compiler/src/partial/placements.ts';
import type { SourceFile } from '../../compiler/src/source/read-tree.ts';
import { compileExample } from '../../testkit/compiled-example.ts';
import { random, type Random } from '../../testkit/random.ts';
import { rbacAllows, type RbacRequest } from '../../testkit/rbac-matcher.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { JWT_METADATA_NAMESPACE, JWT_PAYLOAD_KEY, MCP_METADATA_NAMESPACE, RBAC_DECIDED_PREFIX } from '../../artifacts/src/metadata-names.ts';
import { SESSION_ISSUER, SESSION_PAYLOAD_KEY } from '../../artifacts/src/session-token.ts';
import { buildPolicyInput } from '../../xds-server/src/authz/check-input.ts';
import { bindSession } from '../../xds-server/src/session-binding/bind-session.ts';

const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'];
const REGISTRIES = 6;
const CALLS_PER_REGISTRY = 400;


const SUBS = ['alice', 'bob', 'carol', ''];
const EMAILS = ['alice@corp.example', 'bob@corp.example'];

function generateData(r: Random): PolicyData {
  const providers = ['idp-a', 'idp-b'].slice(0, 1 + r.int(2));
  const identity_providers = Object.fromEntries(
    providers.map((p, i) => [p, { issuer: `https://${p}.example`, groups_claim: i === 0 ? 'groups' : 'roles', email_claim: i === 0 ? 'email' : 'mail' }]),
  );
  const issuers = Object.fromEntries(providers.map((p) => [`https://${p}.example`, p]));
  const teamNames = ['blue', 'green', 'red', 'ops'].slice(0, 1 + r.int(4));
  const teams = Object.fromEntries(
    teamNames.map((t) => [
      t,
      {
        cost_center: null,
        clearance: r.pick(CLASSIFICATIONS),
        idp_groups: [{ provider: r.pick(providers), group: `${t}-group` }, ...(r.next() < 0.3 ? [{ provider: r.pick(providers), group: `${t}-alt` }] : [])],
      },
    ]),
  );
  const serverNames = ['docs', 'payments', 'crm'].slice(0, 1 + r.int(3));
  const tools: Record<string, string[]> = { docs: ['search', 'read'], payments: ['issue_refund', 'lookup'], crm: ['find', 'update'] };
  const servers = Object.fromEntries(
    serverNames.map((s) => [
      s,
      {
        owner: null, cost_center: null, data_classification: r.pick(CLASSIFICATIONS), region: 'eu',
        tools: Object.fromEntries((tools[s] ?? []).map((t) => [t, { risk: 'low', cost_per_call: 0 }])),
      },
    ]),
  );
  const virtual_servers: PolicyData['registry']['virtual_servers'] = {};
  virtual_servers.single = { aggregated: false, servers: [serverNames[0] ?? 'docs'], tools: {} };
  for (const t of tools[serverNames[0] ?? 'docs'] ?? []) virtual_servers.single.tools[t] = { server: serverNames[0] ?? 'docs', tool: t };
  if (serverNames.length > 1) {
    const members = serverNames.slice(0, 2);
    virtual_servers.combined = { aggregated: true, servers: members, tools: {} };
    for (const s of members) for (const t of tools[s] ?? []) virtual_servers.combined.tools[`${s}__${t}`] = { server: s, tool: t };
  }
  const subjects = [
    'authenticated',
    ...teamNames.map((t) => `team:${t}`),
    ...providers.flatMap((p) => SUBS.slice(0, 2).map((s) => `user:${p}/${s}`)),
    ...EMAILS.map((e) => `email:${e}`),
  ];
  const grants: PolicyData['registry']['grants'] = {};
  const grants_by_subject: Record<string, { grant: string; server: string; tools: string[]; methods: string[] }[]> = {};
  for (let g = 0; g < 1 + r.int(4); g++) {
    const grantSubjects = r.some(subjects, 0.25);
    if (grantSubjects.length === 0) continue;
    const server = r.pick(serverNames);
    const granted = r.some(tools[server] ?? [], 0.6);
    if (granted.length === 0) continue;
    grants[`g${String(g)}`] = { subjects: grantSubjects, methods: ['tools/call'] };
    for (const s of grantSubjects) (grants_by_subject[s] ??= []).push({ grant: `g${String(g)}`, server, tools: granted, methods: ['tools/call'] });
  }
  return {
    registry: {
      servers, virtual_servers, teams, identity_providers, issuers, grants, grants_by_subject,
      classification_rank: Object.fromEntries(CLASSIFICATIONS.map((c, i) => [c, i])),
      risk_rank: { low: 0, medium: 1, high: 2, critical: 3 },
    },
  };
}

interface Call {
  readonly virtualServer: string;
  readonly name: string;
  readonly claims: Record<string, unknown>;
  /** The session id it carries: none, the caller's own on this virtual server, another's, or one jwt_authn did not verify. */
  readonly session: 'none' | 'own' | 'other-caller' | 'other-issuer' | 'other-vs' | 'unverified';
  readonly args: unknown;
}

const SESSION_KINDS = ['own', 'own', 'own', 'other-caller', 'other-issuer', 'other-vs', 'unverified'] as const;

function generateCall(r: Random, data: PolicyData): Call {
  const registry = data.registry;
  const vsNames = [...Object.keys(registry.virtual_servers), 'nowhere'];
  const virtualServer = r.pick(vsNames);
  const allNames = Object.values(registry.virtual_servers).flatMap((vs) => Object.keys(vs.tools));
  const name = r.next() < 0.8 ? r.pick(Object.keys(registry.virtual_servers[virtualServer]?.tools ?? {}).concat(allNames)) : 'unknown_tool';
  const providers = Object.keys(registry.identity_providers);
  const provider = r.pick(providers);
  const config = registry.identity_providers[provider];
  const groupPool = Object.values(registry.teams).flatMap((t) => t.idp_groups.map((g) => g.group)).concat(['other']);
  const claims: Record<string, unknown> = { iss: r.next() < 0.9 ? config?.issuer : 'https://stranger.example' };
  if (r.next() < 0.9) claims.sub = r.pick(SUBS);
  const groups = r.some(groupPool, 0.4);
  const groupsClaim = config?.groups_claim ?? 'groups';
  const shape = r.int(5);
  if (shape < 3) claims[groupsClaim] = groups;
  else if (shape === 3) claims[groupsClaim] = groups[0] ?? 'other';
  else claims[groupsClaim] = [42, ...groups.slice(0, 1)];
  if (r.next() < 0.7) claims[config?.email_claim ?? 'email'] = r.pick(EMAILS);
  const verified = r.int(4);
  if (verified === 0) claims.email_verified = true;
  else if (verified === 1) claims.email_verified = 'true';
  else if (verified === 2) claims.email_verified = false;
  const session = r.next() < 0.5 ? 'none' : r.pick(SESSION_KINDS);
  return { virtualServer, name, claims, session, args: r.next() < 0.5 ? { amount: r.pick([10, 5000, 'x']) } : undefined };
}

/** The session payload jwt_authn verified for the call, if any (the caller's own, or bound to someone or somewhere else). */
function sessionPayload(call: Call): Record<string, unknown> | undefined {
  if (call.session === 'none' || call.session === 'unverified') return undefined;
  const subject = typeof call.claims.sub === 'string' ? call.claims.sub : '';
  const own = { iss: SESSION_ISSUER, ci: call.claims.iss, cs: subject, vs: call.virtualServer, sid: 'upstream-1' };
  if (call.session === 'other-caller') return { ...own, cs: `${own.cs}-other` };
  if (call.session === 'other-issuer') return { ...own, ci: 'https://stranger.example' };
  if (call.session === 'other-vs') return { ...own, vs: `${call.virtualServer}-other` };
  return own;
}

/** The dynamic metadata and headers Envoy holds for the call when RBAC and ext_authz see it. */
function requestFacts(call: Call): { headers: Record<string, string>; metadata: Record<string, Record<string, unknown>> } {
  const payload = sessionPayload(call);
  return {
    headers: call.session === 'none' ? {} : { 'mcp-session-id': 'eyJ.session.id' },
    metadata: {
      [MCP_METADATA_NAMESPACE]: { method: 'tools/call', params: { name: call.name } },
      [JWT_METADATA_NAMESPACE]: { [JWT_PAYLOAD_KEY]: call.claims, ...(payload ? { [SESSION_PAYLOAD_KEY]: payload } : {}) },
    },
  };
}

/** What ext_authz alone decides: the Wasm policy, then the session binding check. */
function extAuthzAllows(engine: PolicyEngine, call: Call): boolean {
  const { headers, metadata } = requestFacts(call);
  const input = buildPolicyInput({
    request: { http: { method: 'POST', path: `/mcp/${call.virtualServer}`, headers } },
    metadataContext: { filterMetadata: metadata },
    contextExtensions: { virtual_server: call.virtualServer },
  });
  const mcp = { method: 'tools/call', name: call.name, virtual_server: call.virtualServer, ...(call.args === undefined ? {} : { arguments: call.args }) };
  const decision = engine.evaluate(DECISION_ENTRYPOINT, { attributes: input.attributes, mcp, jwt: { claims: call.claims } }) as { allowed: boolean };
  return bindSession({ ...input, mcp }, decision).allowed;
}

function rbacRequest(call: Call): RbacRequest {
  return { path: `/mcp/${call.virtualServer}`, ...requestFacts(call) };
}

describe('decisions compiled into RBAC', () => {
  let bundle: Buffer;
  let policyFiles: SourceFile[];

  beforeAll(async () => {
    const compiled = await compileExample('rbac-equivalence');
    if (!compiled.bundle) throw new Error(`the example does not compile: ${JSON.stringify(compiled.diagnostics)}`);
    bundle = compiled.bundle;
    policyFiles = ['policies/org/clearance.rego', 'policies/org/refund_limit.rego'].map(
      (path): SourceFile => ({ path, kind: 'policy', text: readFileSync(join(PROJECT_ROOT, path), 'utf8') }),
    );
  }, 60_000);

  it('decide every generated call like the Wasm policy alone, and decide many of them without ext_authz', async () => {
    let byRbac = 0;
    let total = 0;
    let rbacDenied = 0;
    let bySessionRbac = 0;
    let sessionRefusals = 0;
    for (let seed = 1; seed <= REGISTRIES; seed++) {
      const r = random(seed);
      const data = generateData(r);
      const { decisions, errors } = await placeToolCalls(policyFiles, data);
      expect(errors).toEqual([]);
      const placed = decisions.placements.filter((p) => p.layer === 'rbac');
      const filter = rbacFilter(data, decisions, placed).typed_config as unknown as Record<string, unknown>;
      const engine = await PolicyEngine.load(bundle, 16384, { data: () => data });
      for (let i = 0; i < CALLS_PER_REGISTRY; i++) {
        const call = generateCall(r, data);
        const alone = extAuthzAllows(engine, call);
        const policy = rbacAllows(filter, rbacRequest(call));
        const layered = policy === undefined ? false : policy.startsWith(RBAC_DECIDED_PREFIX) ? true : alone;
        const where = `seed ${String(seed)} call ${String(i)}: ${JSON.stringify(call)}`;
        if (layered !== alone) throw new Error(`${where}: RBAC then ext_authz ${String(layered)}, Wasm alone ${String(alone)}`);
        total++;
        if (!policy?.startsWith('ext_authz')) byRbac++;
        if (policy === undefined) rbacDenied++;
        if (policy?.startsWith(RBAC_DECIDED_PREFIX) && call.session !== 'none') bySessionRbac++;
        if (policy?.startsWith('ext_authz/session:')) sessionRefusals++;
      }
    }
    // The generator must exercise the translation, not only pass everything on to ext_authz.
    expect(byRbac / total).toBeGreaterThan(0.2);
    expect(rbacDenied).toBeGreaterThan(0);
    expect(byRbac - rbacDenied).toBeGreaterThan(0);
    // Calls in a session are decided by RBAC too, and foreign session ids are left to ext_authz.
    expect(bySessionRbac).toBeGreaterThan(0);
    expect(sessionRefusals).toBeGreaterThan(0);
  }, 120_000);

  it('leaves the calls of pinned servers to ext_authz, where a changed or unpinned tool definition is refused', async () => {
    // A generated registry whose virtual servers serve tools of two servers or more.
    const serversOf = (d: PolicyData) =>
      [...new Set(Object.values(d.registry.virtual_servers).flatMap((vs) => Object.values(vs.tools).map((t) => t.server)))].sort();
    const data = Array.from({ length: 50 }, (_, i) => generateData(random(i + 1))).find((d) => serversOf(d).length >= 2);
    if (!data) throw new Error('no generated registry with two servers');
    const pinned = serversOf(data)[0] ?? '';
    const { decisions } = await placeToolCalls(policyFiles, data, new Set([pinned]));
    const ofPinned = decisions.placements.filter((p) => p.server === pinned);
    expect(ofPinned.length).toBeGreaterThan(0);
    expect(ofPinned.filter((p) => p.layer !== 'ext_authz' || !p.reason.startsWith('tool pinning'))).toEqual([]);
    expect(decisions.placements.filter((p) => p.server !== pinned).map((p) => p.layer)).toContain('rbac');
  }, 60_000);
});
