// docs/diagnostics.md: one section per diagnostic code, anchored `#<code>`, which is where SARIF
// rules' help links and the text output's `[code]` lead.
import { CODES } from '../../compiler/src/diagnostics/codes.ts';
import { code, generatedNotice, table } from '../../compiler/src/util/markdown.ts';

/** The whole page, codes in catalogue order. Pure. */
export function renderDiagnosticsReference(): string {
  const entries = Object.entries(CODES);
  const index = table(
    ['Code', 'Title'],
    entries.map(([name, doc]) => [`[${code(name)}](#${name})`, doc.title]),
  );
  const sections = entries.map(([name, doc]) => `## ${name}\n\n**${doc.title}.** ${doc.description}`);
  return `${[intro(), index, ...sections].join('\n\n')}\n`;
}

function intro(): string {
  return `# Diagnostics

${generatedNotice('compiler/src/diagnostics/codes.ts')}

Every problem \`gatehouse lint\` and \`gatehouse compile\` report has a stable code, a severity, a
message and a place (file:line:column). In text output a diagnostic reads, with its hint indented:

\`\`\`
registry/virtual-servers/desk.yaml:9:17: error [unknown-tool] VirtualServer "desk": McpServer "tickets" has no tool "get_tickets" (did you mean "get_ticket"?)
    Tools of tickets: get_ticket, search_tickets.
\`\`\`

\`--format json\` gives the same as data, and \`--format sarif\` gives SARIF 2.1.0 for code scanning, with
one rule per code whose help link points at its section below. Any error fails the command (exit
code 1) and leaves previously written artifacts untouched.`;
}
