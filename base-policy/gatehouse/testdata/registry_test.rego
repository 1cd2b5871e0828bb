# Package testdata is the fixture the unit tests share: a small registry in the shape of
# data.registry, and helpers that build inputs.
package gatehouse.testdata

corp_issuer := "https://corp.example"

partner_issuer := "https://partner.example"

# registry has three servers of rising classification; "portal" aggregates two of them.
registry := {
	"servers": {
		"crm": {
			"owner": "ops", "cost_center": "CC-1", "data_classification": "confidential", "region": "eu",
			"tools": {
				"delete_customer": {"risk": "high", "cost_per_call": 0.01},
				"find_customer": {"risk": "low", "cost_per_call": 0.001},
			},
		},
		"payments": {
			"owner": "finance", "cost_center": "CC-2", "data_classification": "restricted", "region": "eu",
			"tools": {
				"issue_refund": {"risk": "high", "cost_per_call": 0.05},
				"lookup_payment": {"risk": "low", "cost_per_call": 0.001},
			},
		},
		"wiki": {
			"owner": "ops", "cost_center": "CC-1", "data_classification": "internal", "region": "eu",
			"tools": {
				"edit_page": {"risk": "medium", "cost_per_call": 0.001},
				"purge_page": {"risk": "high", "cost_per_call": 0.001},
				"read_page": {"risk": "low", "cost_per_call": 0.001},
			},
		},
	},
	"virtual_servers": {
		"payments": {
			"aggregated": false,
			"servers": ["payments"],
			"tools": {
				"issue_refund": {"server": "payments", "tool": "issue_refund"},
				"lookup_payment": {"server": "payments", "tool": "lookup_payment"},
			},
		},
		"portal": {
			"aggregated": true,
			"servers": ["crm", "wiki"],
			"tools": {
				"crm__delete_customer": {"server": "crm", "tool": "delete_customer"},
				"crm__find_customer": {"server": "crm", "tool": "find_customer"},
				"wiki__edit_page": {"server": "wiki", "tool": "edit_page"},
				"wiki__read_page": {"server": "wiki", "tool": "read_page"},
			},
		},
		"wiki": {
			"aggregated": false,
			"servers": ["wiki"],
			"tools": {
				"edit_page": {"server": "wiki", "tool": "edit_page"},
				"purge_page": {"server": "wiki", "tool": "purge_page"},
				"read_page": {"server": "wiki", "tool": "read_page"},
			},
		},
	},
	"teams": {
		"auditors": {
			"cost_center": "CC-3", "clearance": "internal",
			"idp_groups": [{"provider": "corp", "group": "auditors"}, {"provider": "partner", "group": "audit"}],
		},
		"finance": {
			"cost_center": "CC-2", "clearance": "restricted",
			"idp_groups": [{"provider": "corp", "group": "finance"}],
		},
		"ops": {
			"cost_center": "CC-1", "clearance": "confidential",
			"idp_groups": [{"provider": "corp", "group": "ops"}],
		},
	},
	"identity_providers": {
		"corp": {"issuer": corp_issuer, "groups_claim": "groups", "email_claim": "email"},
		"partner": {"issuer": partner_issuer, "groups_claim": "roles", "email_claim": "mail"},
	},
	"issuers": {corp_issuer: "corp", partner_issuer: "partner"},
	"grants": {
		"audit-crm": {"subjects": ["team:auditors"], "methods": ["tools/call"]},
		"carol-prompts": {"subjects": ["email:carol@example.com"], "methods": ["prompts/get"]},
		"dave-crm": {"subjects": ["user:corp/dave"], "methods": ["tools/call"]},
		"everyone-read": {"subjects": ["authenticated"], "methods": ["tools/call"]},
		"finance-payments": {"subjects": ["team:finance"], "methods": ["tools/call", "completion/complete"]},
		"ops-crm": {"subjects": ["team:ops"], "methods": ["tools/call", "resources/read", "prompts/get"]},
		"ops-wiki": {"subjects": ["team:ops"], "methods": ["tools/call"]},
	},
	"grants_by_subject": {
		"authenticated": [{"grant": "everyone-read", "server": "wiki", "tools": ["read_page"], "methods": ["tools/call"]}],
		"team:auditors": [{
			"grant": "audit-crm", "server": "crm",
			"tools": ["delete_customer", "find_customer"], "methods": ["tools/call"],
		}],
		"team:finance": [
			{
				"grant": "finance-payments", "server": "payments",
				"tools": ["issue_refund", "lookup_payment"], "methods": ["tools/call", "completion/complete"],
			},
			{
				"grant": "finance-payments", "server": "wiki",
				"tools": ["purge_page"], "methods": ["tools/call", "completion/complete"],
			},
		],
		"team:ops": [
			{
				"grant": "ops-crm", "server": "crm",
				"tools": ["find_customer"], "methods": ["tools/call", "resources/read", "prompts/get"],
			},
			# retired_page is granted but no longer offered by any server.
			{
				"grant": "ops-wiki", "server": "wiki",
				"tools": ["edit_page", "read_page", "retired_page"], "methods": ["tools/call"],
			},
		],
		"email:carol@example.com": [{
			"grant": "carol-prompts", "server": "wiki",
			"tools": ["read_page"], "methods": ["prompts/get"],
		}],
		"user:corp/dave": [{"grant": "dave-crm", "server": "crm", "tools": ["delete_customer"], "methods": ["tools/call"]}],
	},
	"classification_rank": {"public": 0, "internal": 1, "confidential": 2, "restricted": 3},
	"risk_rank": {"low": 0, "medium": 1, "high": 2, "critical": 3},
}

# corp_claims are the claims of a corp token for alice with the given groups.
corp_claims(groups) := {"iss": corp_issuer, "sub": "alice", "email": "alice@example.com", "groups": groups}

# request is an input for an MCP request by the subject of claims.
request(claims, mcp) := {"jwt": {"claims": claims}, "mcp": mcp}

# tools_call is an input for a tools/call without arguments.
tools_call(claims, virtual_server, name) := request(claims, mcp) if {
	mcp := {"virtual_server": virtual_server, "method": "tools/call", "id": 1, "name": name, "arguments": {}}
}
