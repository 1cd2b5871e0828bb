// The official MCP conformance server suite, run against Gatehouse's conformance fixture server
// (fixture-server/) directly (the baseline) and through the real gateway (control plane + Envoy 1.40) as a single-member virtual
// server: every scenario that passes directly must pass through the gateway. It also runs through an
// aggregated virtual server (the fixture server and a second one behind Envoy's mcp_router), with a
// test-only proxy that maps the suite's names to the member's prefixed ones (name-mapping.ts): every
// scenario passes there or is listed below with the Envoy limitation that stops it.
// `npm test` runs a fast subset (the scenarios the gateway has broken before); the whole suite runs
// with GATEHOUSE_CONFORMANCE=1 (`npm run test:conformance`): under a minute (about 3 s per full run of
// the suite here), unless the sampling race makes a scenario wait out its timeout (see runConformanceSuiteWithRetry).
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../harness/stack.ts';
import { startBearerProxy, type BearerProxy } from './bearer-proxy.ts';
import { exchangeAt } from './protocol-revisions.ts';
import { startFixtureServer, type RunningFixtureServer } from './fixture-server/start.ts';
import { AGGREGATED_MEMBER, AGGREGATED_VIRTUAL_SERVER, CONFORMANCE_TEAM, conformanceRegistry } from './registry.ts';
import { runConformanceSuite, runConformanceSuiteWithRetry, summarise, type ScenarioResult } from './run-suite.ts';

/** A scenario the gateway breaks may wait out the suite's own timeouts. */
const SUITE_TIMEOUT_MS = 300_000;

let reference: RunningFixtureServer;
let spare: RunningFixtureServer;
let stack: TestStack;
let proxy: BearerProxy;
let mappingProxy: BearerProxy;
let token: string;

beforeAll(async () => {
  [reference, spare] = await Promise.all([startFixtureServer(0), startFixtureServer(0)]);
  stack = await startTestStack({ files: conformanceRegistry(reference.url, spare.url) });
  token = (await stack.tokenFor(CONFORMANCE_TEAM, { sub: 'conformance' }))!;
  proxy = await startBearerProxy(stack.gatewayUrl, token);
  mappingProxy = await startBearerProxy(stack.gatewayUrl, token, { member: AGGREGATED_MEMBER });
});
// Unset when beforeAll failed.
afterAll(async () => {
  await (proxy as BearerProxy | undefined)?.close();
  await (mappingProxy as BearerProxy | undefined)?.close();
  await (stack as TestStack | undefined)?.dispose();
  await (reference as RunningFixtureServer | undefined)?.stop();
  await (spare as RunningFixtureServer | undefined)?.stop();
});

const aggregatedUrl = () => mappingProxy.url(new URL(stack.endpoint(AGGREGATED_VIRTUAL_SERVER)).pathname);

/**
 * The scenarios that cannot pass through an aggregated virtual server, each with the limitation of
 * Envoy 1.40's mcp_router that stops it and the refusal the suite must see (so a scenario failing for
 * another reason is not excused). The full run fails when one of them passes (an Envoy upgrade lifted
 * the limit: move it out of this list) or when any other scenario fails. The suite's pending
 * scenarios are not in its active set, so not run here (run alone once: server-sse-multiple-streams
 * passed directly, single-member and aggregated; server-sse-polling failed in all three, as the
 * fixture server does not implement it).
 */
const AGGREGATED_EXPECTED_FAILURES: Readonly<Record<string, { because: string; failsWith: string }>> = {
  'resources-subscribe': {
    because: 'mcp_router has no standalone GET event stream (it answers 405), so notifications/resources/updated could never reach the client: '
      + 'the gateway refuses resources/subscribe with -32601 and does not advertise subscribe',
    failsWith: 'MCP error -32601: resources/subscribe is not available on an aggregated virtual server',
  },
  'resources-unsubscribe': {
    because: 'the scenario subscribes first, which is refused as in resources-subscribe (no standalone GET event stream in mcp_router); '
      + 'resources/unsubscribe is refused with -32601 likewise',
    failsWith: 'MCP error -32601: resources/subscribe is not available on an aggregated virtual server',
  },
};

const passing = (results: readonly ScenarioResult[]) => results.filter((r) => r.passed).map((r) => r.scenario);

/** Scenarios the gateway has failed before (client responses, subscriptions, the Host check); each passes directly in the full run. */
const FAST_SUBSET = ['tools-call-elicitation', 'resources-subscribe', 'dns-rebinding-protection'];

describe('MCP conformance server suite, fast subset', () => {
  it('each scenario passes through a single-member virtual server', async () => {
    for (const scenario of FAST_SUBSET) {
      const [gateway] = await runConformanceSuite(proxy.url(new URL(stack.endpoint('everything')).pathname), { scenario });
      expect(gateway?.passed, `${scenario} through the gateway: ${summarise(gateway ? [gateway] : [])}`).toBe(true);
    }
  }, SUITE_TIMEOUT_MS);
});

/** Through an aggregated virtual server: a member's request inside a tool call, a completion ref and a resource template, each renamed by mcp_router. */
const AGGREGATED_FAST_SUBSET = ['tools-call-elicitation', 'completion-complete', 'resources-templates-read'];

describe('MCP conformance server suite, fast subset, aggregated', () => {
  it('each scenario passes through an aggregated virtual server (names mapped to the member\'s)', async () => {
    for (const scenario of AGGREGATED_FAST_SUBSET) {
      const [gateway] = await runConformanceSuite(aggregatedUrl(), { scenario });
      expect(gateway?.passed, `${scenario} through the aggregated virtual server: ${summarise(gateway ? [gateway] : [])}`).toBe(true);
    }
  }, SUITE_TIMEOUT_MS);
});

describe('protocol revisions through the gateway', () => {
  // Every revision the pinned SDK (server and client side) speaks; 2026-07-28 is not among them.
  for (const revision of SUPPORTED_PROTOCOL_VERSIONS) {
    it(`${revision}: the exchange through the gateway is the exchange directly`, async () => {
      const direct = await exchangeAt(reference.url, revision, 'test_simple_text');
      const auth = { authorization: `Bearer ${token}` };
      const gateway = await exchangeAt(stack.endpoint('everything'), revision, 'test_simple_text', auth);
      expect(direct).toMatchObject({ statuses: [200, 202, 200], answer: expect.any(String) as unknown });
      expect(gateway).toEqual(direct);
    });
  }

  it('2026-07-28 is negotiated down to the latest the server speaks, through the gateway as directly', async () => {
    const direct = await exchangeAt(reference.url, '2026-07-28', 'test_simple_text');
    const gateway = await exchangeAt(stack.endpoint('everything'), '2026-07-28', 'test_simple_text', { authorization: `Bearer ${token}` });
    expect(direct.negotiated).toBe(LATEST_PROTOCOL_VERSION);
    expect(gateway).toEqual(direct);
  });
});

describe.runIf(process.env.GATEHOUSE_CONFORMANCE === '1')('MCP conformance server suite', () => {
  let direct: ScenarioResult[];

  it('passes in full against the fixture server directly (the baseline)', async () => {
    const run = await runConformanceSuiteWithRetry(reference.url);
    direct = run.results;
    console.log(`direct: ${summarise(direct)}; rerun alone: ${run.retried.join(', ') || 'none'}`);
    expect(direct.length).toBeGreaterThanOrEqual(30);
    expect(passing(direct), summarise(direct)).toEqual(direct.map((r) => r.scenario));
  });

  it('passes every baseline scenario through a single-member virtual server', async () => {
    const run = await runConformanceSuiteWithRetry(proxy.url(new URL(stack.endpoint('everything')).pathname));
    const gateway = run.results;
    console.log(`gateway: ${summarise(gateway)}; rerun alone: ${run.retried.join(', ') || 'none'}`);
    expect(passing(gateway), summarise(gateway)).toEqual(passing(direct));
  }, SUITE_TIMEOUT_MS);
});

describe.runIf(process.env.GATEHOUSE_CONFORMANCE === '1')('MCP conformance server suite through an aggregated virtual server', () => {
  it('passes every scenario but those listed with the mcp_router limitation that stops them', async () => {
    const started = Date.now();
    const listed = Object.keys(AGGREGATED_EXPECTED_FAILURES);
    const run = await runConformanceSuiteWithRetry(aggregatedUrl(), { expectedToFail: listed });
    const results = run.results;
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(`aggregated: ${summarise(results)}; ${String(listed.length)} listed; rerun alone: ${run.retried.join(', ') || 'none'}; ${String(seconds)} s`);
    expect(results.length).toBeGreaterThanOrEqual(30);
    expect(listed.filter((s) => !results.some((r) => r.scenario === s)), 'listed scenarios the suite no longer has').toEqual([]);
    const failing = results.filter((r) => !r.passed).map((r) => r.scenario);
    expect(failing, summarise(results)).toEqual(results.map((r) => r.scenario).filter((s) => listed.includes(s)));
    for (const result of results.filter((r) => !r.passed)) {
      const failure = result.checks.find((c) => c.status !== 'SUCCESS' && c.status !== 'INFO');
      expect(failure?.errorMessage, `${result.scenario}: ${AGGREGATED_EXPECTED_FAILURES[result.scenario]?.because ?? 'not listed'}`)
        .toContain(AGGREGATED_EXPECTED_FAILURES[result.scenario]?.failsWith);
    }
  }, SUITE_TIMEOUT_MS);
});
