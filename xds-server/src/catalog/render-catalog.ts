// Renders the catalog model as one self-contained HTML page: inline style, a tiny optional filter
// script, every value escaped. Readable with JavaScript off (the filter box simply stays hidden).
import type { AccessRow } from './access-matrix.ts';
import type { CatalogModel, CatalogVirtualServer } from './catalog-model.ts';
import { escapeHtml as e, formatCost, orDash, table } from './html.ts';
import { PAGE_SCRIPT, PAGE_STYLE } from './page-assets.ts';

export function renderCatalog(model: CatalogModel): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Gatehouse catalog</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>Gatehouse catalog</h1>
${artifactLine(model)}
<nav><a href="#servers">Servers and tools</a><a href="#virtual-servers">Virtual servers</a><a href="#access">Who can call what</a>
<a href="#costs">Teams and costs</a><a href="#denials">Recent denials</a></nav>
<input id="filter" type="search" placeholder="Filter rows (server, tool, team, person…)" aria-label="Filter rows" hidden>
</header>
<main>
${serversSection(model)}
${virtualServersSection(model)}
${accessSection(model)}
${costsSection(model)}
${denialsSection(model)}
</main>
<footer>Read-only view of the artifact set this control plane serves. Page generated ${e(model.generatedAt)}.</footer>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

function artifactLine(model: CatalogModel): string {
  const a = model.artifact;
  if (!a) return '<p class="meta">No artifact set is loaded yet.</p>';
  const signed = a.signedBy ? ` · signed by <code>${e(a.signedBy)}</code>` : ' · not signature-checked';
  const loaded = a.loadedAt ? ` · loaded ${e(a.loadedAt)}` : '';
  return `<p class="meta">Artifact version <code id="artifact-version">${e(a.version)}</code> · source revision <code id="source-revision">${
    e(a.sourceRevision)}</code>${loaded}${signed}</p>`;
}

const risk = (value: string) => `<span class="risk risk-${e(value)}">${e(value)}</span>`;

function serversSection(model: CatalogModel): string {
  const rows = model.servers.flatMap((s) => {
    const server = [`<strong>${e(s.name)}</strong>`, orDash(s.owner), orDash(s.classification), orDash(s.region), orDash(s.costCenter)];
    return s.tools.map((t) => [...server, `<code>${e(t.name)}</code>`, risk(t.risk), `<span class="num">${formatCost(t.costPerCall)}</span>`]);
  });
  return `<section id="servers"><h2>Servers and tools</h2>
${table('servers-table', ['Server', 'Owner', 'Classification', 'Region', 'Cost center', 'Tool', 'Risk', 'Cost per call'], rows, 'No servers.')}
</section>`;
}

function virtualServersSection(model: CatalogModel): string {
  const rows = model.virtualServers.map((v) => [
    `<strong>${e(v.name)}</strong>`,
    v.aggregated ? 'aggregated' : 'single server',
    v.members.map((m) => `${e(m.server)}: ${m.tools.map((t) => `<code>${e(t)}</code>`).join(', ')}`).join('<br>'),
    endpointsOf(v),
  ]);
  return `<section id="virtual-servers"><h2>Virtual servers</h2>
${table('virtual-servers-table', ['Virtual server', 'Kind', 'Members (public tool names)', 'Gateway and URL'], rows, 'No virtual servers.')}
</section>`;
}

function endpointsOf(v: CatalogVirtualServer): string {
  if (v.endpoints.length === 0) return '<span class="muted">not served by a gateway</span>';
  return v.endpoints.map((p) => `${e(p.gateway)} (fleet ${e(p.fleet)}): <code>${e(p.url)}</code>`).join('<br>');
}

function accessSection(model: CatalogModel): string {
  const servers = model.servers.map((s) => s.name);
  const matrix = (id: string, rows: readonly AccessRow[], empty: string) =>
    table(id, ['Subject', 'Source', ...servers], rows.map((row) => [
      `<strong>${e(row.subject)}</strong>${teamsOf(row)}`,
      `<span class="source">${e(row.source)}</span>${row.note ? `<br><span class="muted">${e(row.note)}</span>` : ''}`,
      ...servers.map((server) => {
        const tools = row.servers[server] ?? [];
        return tools.length === 0 ? '<span class="muted">—</span>' : tools.map((t) => `<code>${e(t)}</code>`).join(', ');
      }),
    ]), empty);
  return `<section id="access"><h2>Who can call what</h2>
<p class="source">The tools each subject may call (tools/call), from one evaluation of this artifact set's policy per subject, with the claims a token of
that subject would carry: grants and the organisation's rules (such as clearance) together, as the gateway enforces them. Rules on arguments are
checked per call.</p>
<h3>By team</h3>
${matrix('access-by-team', model.accessByTeam, 'No teams.')}
<h3>By person</h3>
<p class="source">Teams do not list their members in the registry: a person is in a team when their token carries one of the team's identity-provider
groups (above). The people known here are those a grant names, and those seen in recent requests with the teams of their last request.</p>
${matrix('access-by-person', model.accessByPerson, 'No person is named in a grant or has been seen yet.')}
</section>`;
}

/** A person's teams under their name (a team row is its own team). */
function teamsOf(row: AccessRow): string {
  return row.teams.length > 0 && !row.subject.startsWith('team:') ? `<br><span class="muted">teams: ${e(row.teams.join(', '))}</span>` : '';
}

function costsSection(model: CatalogModel): string {
  const rows = [
    ...model.teams.map((t) => [`<strong>${e(t.name)}</strong>`, orDash(t.costCenter), orDash(t.clearance), orDash(t.groups.join(', ')), ...totals(t)]),
    ...model.otherCosts.map((c) => [`<span class="muted">${e(c.team)}</span>`, orDash(null), orDash(null), orDash(null), ...totals(c)]),
  ];
  return `<section id="costs"><h2>Teams and costs</h2>
<p class="source">Allowed tool calls and their cost per team since ${e(model.activity.since)}, as this control plane recorded them (each replica counts its own;
the audit log and <code>gatehouse report costs</code> hold the full record).</p>
${table('costs-table', ['Team', 'Cost center', 'Clearance', 'Identity-provider groups', 'Calls', 'Cost'], rows, 'No teams.')}
</section>`;
}

const totals = (t: { readonly calls: number; readonly cost: number }) => [
  `<span class="num">${e(t.calls)}</span>`,
  `<span class="num">${formatCost(t.cost)}</span>`,
];

const NO_DENIALS = 'No denials since this control plane started.';

function denialsSection(model: CatalogModel): string {
  const rows = model.activity.denials.map((d) => [
    e(d.time), orDash(d.subject), orDash(d.team), orDash(d.virtualServer), d.tool === null ? orDash(null) : `<code>${e(d.tool)}</code>`, orDash(d.method),
    `<span class="decision-${e(d.decision)}">${e(d.decision)}</span> <span class="muted">${e(d.status)}</span>`,
    e(d.reasons.join('; ')),
  ]);
  return `<section id="denials"><h2>Recent denials</h2>
<p class="source">The last requests the policy denied or the gateway rejected, newest first, from this control plane's audit records
(kept in memory, bounded).</p>
${table('denials-table', ['Time', 'Subject', 'Team', 'Virtual server', 'Tool', 'Method', 'Decision', 'Reasons'], rows, NO_DENIALS)}
</section>`;
}
