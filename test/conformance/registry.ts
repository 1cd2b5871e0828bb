// The scratch registry that serves the conformance fixture server (fixture-server/) as a single-member virtual
// server, and with a second fixture server as an aggregated one (Envoy's mcp_router), with a grant for
// everything the suite exercises.
import type { RepoEdits } from '../../testkit/repo.ts';

/** The fixture server's tools: the names the conformance suite's scenarios call. */
export const REFERENCE_TOOLS = [
  'test_simple_text', 'test_image_content', 'test_audio_content', 'test_embedded_resource', 'test_multiple_content_types',
  'test_tool_with_logging', 'test_tool_with_progress', 'test_error_handling', 'test_reconnection', 'test_sampling',
  'test_elicitation', 'test_elicitation_sep1034_defaults', 'test_elicitation_sep1330_enums', 'json_schema_2020_12_tool',
] as const;

/** The team the suite's token speaks for. */
export const CONFORMANCE_TEAM = 'support';

/** The single-member virtual server (`everything`) and the aggregated one (`aggregate`: `everything` and `spare`). */
export const AGGREGATED_VIRTUAL_SERVER = 'aggregate';
/** The member of the aggregated virtual server the suite runs against. */
export const AGGREGATED_MEMBER = 'everything';

export function conformanceRegistry(upstreamUrl: string, spareUrl: string, grant: string = GRANT_EVERYTHING): RepoEdits {
  return {
    'registry/mcp-servers/everything.yaml': fixtureServer('everything', upstreamUrl),
    'registry/mcp-servers/spare.yaml': fixtureServer('spare', spareUrl),
    'registry/virtual-servers/everything.yaml': `apiVersion: gatehouse.dev/v1alpha1
kind: VirtualServer
metadata:
  name: everything
spec:
  description: The reference server alone (single member, so routed straight to it).
  members:
    - server: everything
      tools: ["*"]
`,
    [`registry/virtual-servers/${AGGREGATED_VIRTUAL_SERVER}.yaml`]: `apiVersion: gatehouse.dev/v1alpha1
kind: VirtualServer
metadata:
  name: ${AGGREGATED_VIRTUAL_SERVER}
spec:
  description: The reference server and a second fixture server behind one endpoint (Envoy's mcp_router).
  members:
    - server: everything
      tools: ["*"]
    - server: spare
      tools: ["*"]
`,
    'registry/grants/everything.yaml': grant,
  };
}

/** A fixture server's entry, declaring what it offers (aggregated initialize advertises it; lint warns about subscribe). */
const fixtureServer = (name: string, url: string) => `apiVersion: gatehouse.dev/v1alpha1
kind: McpServer
metadata:
  name: ${name}
spec:
  description: The MCP conformance suite's fixture server.
  owner: engineering
  upstream:
    url: ${url}
    timeout: 20s
  dataClassification: internal
  region: eu-west-1
  capabilities: [prompts, resources, resources.subscribe, completions, logging, sampling, elicitation]
  tools:
${REFERENCE_TOOLS.map((tool) => `    - name: ${tool}\n      risk: low\n`).join('')}`;

/** Every tool, and every method the suite calls. */
export const GRANT_EVERYTHING = `apiVersion: gatehouse.dev/v1alpha1
kind: Grant
metadata:
  name: support-everything
spec:
  description: Support may use all of the reference server, as the conformance suite does.
  subjects: [team:${CONFORMANCE_TEAM}]
  access:
    - server: everything
      tools: ["*"]
    - server: spare
      tools: ["*"]
  capabilities: [call-tools, read-resources, subscribe-resources, use-prompts, complete]
`;
