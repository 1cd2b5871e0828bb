// The scratch registry that serves the conformance fixture server (fixture-server/) as a single-member virtual
// server, with a grant for everything the suite exercises.
import type { RepoEdits } from '../../testkit/repo.ts';

/** The fixture server's tools: the names the conformance suite's scenarios call. */
export const REFERENCE_TOOLS = [
  'test_simple_text', 'test_image_content', 'test_audio_content', 'test_embedded_resource', 'test_multiple_content_types',
  'test_tool_with_logging', 'test_tool_with_progress', 'test_error_handling', 'test_reconnection', 'test_sampling',
  'test_elicitation', 'test_elicitation_sep1034_defaults', 'test_elicitation_sep1330_enums', 'json_schema_2020_12_tool',
] as const;

/** The team the suite's token speaks for. */
export const CONFORMANCE_TEAM = 'support';

export function conformanceRegistry(upstreamUrl: string, grant: string = GRANT_EVERYTHING): RepoEdits {
  const tools = REFERENCE_TOOLS.map((name) => `    - name: ${name}\n      risk: low\n`).join('');
  return {
    'registry/mcp-servers/everything.yaml': `apiVersion: gatehouse.dev/v1alpha1
kind: McpServer
metadata:
  name: everything
spec:
  description: The MCP conformance suite's fixture server.
  owner: engineering
  upstream:
    url: ${upstreamUrl}
    timeout: 20s
  dataClassification: internal
  region: eu-west-1
  tools:
${tools}`,
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
    'registry/grants/everything.yaml': grant,
  };
}

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
  capabilities: [call-tools, read-resources, subscribe-resources, use-prompts, complete]
`;
