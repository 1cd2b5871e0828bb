// The registry reference's section on names in aggregated virtual servers: how clients name what
// each member offers once Envoy's mcp_router merges them (README "Aggregated virtual servers").

export function aggregatedNaming(): string {
  return `## Names in aggregated virtual servers

A [VirtualServer](#virtualserver) with one member shows its server's names unchanged. With several
members it is served by Envoy's \`mcp_router\`, and clients name what each member offers by the
member's [McpServer](#mcpserver) name:

| What | Clients see | Example (member \`docs\`) |
| --- | --- | --- |
| tool | \`<server>__<tool>\`, split at the first \`__\` | \`docs__search_docs\` |
| prompt | \`<server>__<prompt>\` | \`docs__runbook\` |
| resource URI | \`<server>+<uri>\` | \`docs+file:///runbooks/refunds.md\` |
| resource URI template | \`<server>+<uri template>\` | \`docs+file:///runbooks/{name}\` |
| completion ref | \`ref/prompt\` by the prompt's name, \`ref/resource\` by the template's URI, as above | \`{"type": "ref/prompt", "name": "docs__runbook"}\` |

Grants, virtual server members and the policy name tools by their own name (\`search_docs\` of
server \`docs\`); only clients see the prefixed names. \`resources/read\` answers under the
prefixed URI the client asked for. A prompt name, URI or completion ref without its prefix gets the
JSON-RPC error \`-32602\` stating this rule.

The \`initialize\` response of an aggregated virtual server advertises \`tools\` and the \`prompts\`,
\`resources\`, \`completions\` and \`logging\` its members declare in \`spec.capabilities\`.
Capabilities \`mcp_router\` cannot carry (\`resources.subscribe\`, \`listChanged\`, \`roots\`) are never
advertised, and \`gatehouse lint\` warns ([aggregated-capability-lost](diagnostics.md#aggregated-capability-lost))
when a member declares one. \`sampling\` and \`elicitation\` work inside a tool call.`;
}
