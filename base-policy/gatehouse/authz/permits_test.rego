package gatehouse.authz_test

import data.gatehouse.authz
import data.gatehouse.testdata

finance := testdata.corp_claims(["finance"])

# carol is in no team; a grant to her email gives her prompts of the wiki.
carol := {"iss": testdata.partner_issuer, "sub": "p-7", "mail": "carol@example.com", "email_verified": true}

test_discovery_methods_are_allowed_with_access_to_the_virtual_server if {
	methods := [
		"initialize", "ping", "tools/list", "prompts/list", "resources/list", "resources/templates/list",
		"logging/setLevel", "notifications/initialized", "notifications/cancelled", "__jsonrpc_response",
	]
	every method in methods {
		mcp := {"virtual_server": "portal", "method": method}
		decision := authz.decision with input as testdata.request(ops, mcp) with data.registry as testdata.registry
		decision.allowed
		decision.reasons == ["discovery method allowed: subject has access to virtual server portal"]
	}
}

test_a_server_wide_grant_gives_access_to_discovery if {
	mcp := {"virtual_server": "wiki", "method": "prompts/list", "id": 1}
	decision := authz.decision with input as testdata.request(carol, mcp)
		with data.registry as testdata.registry
		with data.gatehouse.subject.principals as {"email:carol@example.com"}
	decision.allowed
}

test_tools_call_in_a_single_virtual_server if {
	decision := authz.decision with input as testdata.tools_call(ops, "wiki", "edit_page")
		with data.registry as testdata.registry
	decision.allowed
	decision.reasons == ["allowed by grant ops-wiki"]
	decision.dynamic_metadata.tool == "edit_page"
}

test_tools_call_allowed_by_several_grants_reports_each if {
	decision := authz.decision with input as testdata.tools_call(ops, "portal", "wiki__read_page")
		with data.registry as testdata.registry
	decision.reasons == ["allowed by grant everyone-read", "allowed by grant ops-wiki"]
}

test_resources_read_in_an_aggregated_virtual_server if {
	mcp := {"virtual_server": "portal", "method": "resources/read", "id": 1, "uri": "crm+file:///customers/7"}
	decision := authz.decision with input as testdata.request(ops, mcp) with data.registry as testdata.registry
	decision.allowed
	decision.reasons == ["allowed by grant ops-crm"]
	decision.dynamic_metadata.server == "crm"
}

watch_entry(method) := {"grant": "ops-watch", "server": "crm", "tools": [], "methods": [method]}

test_resources_subscribe_granted_like_any_method if {
	every method in ["resources/subscribe", "resources/unsubscribe"] {
		mcp := {"virtual_server": "portal", "method": method, "id": 1, "uri": "crm+file:///customers/7"}
		decision := authz.decision with input as testdata.request(ops, mcp) with data.registry as testdata.registry
			with data.gatehouse.subject.grant_entries as {watch_entry(method)}
		decision.allowed
		decision.reasons == ["allowed by grant ops-watch"]
	}
}

test_prompts_get_in_an_aggregated_virtual_server if {
	mcp := {"virtual_server": "portal", "method": "prompts/get", "id": 1, "name": "crm__onboarding"}
	decision := authz.decision with input as testdata.request(ops, mcp) with data.registry as testdata.registry
	decision.allowed
}

test_prompts_get_in_a_single_virtual_server_by_email_grant if {
	mcp := {"virtual_server": "wiki", "method": "prompts/get", "id": 1, "name": "style_guide"}
	decision := authz.decision with input as testdata.request(carol, mcp) with data.registry as testdata.registry
	decision.allowed
	decision.reasons == ["allowed by grant carol-prompts"]
}

test_completion_in_an_aggregated_virtual_server_needs_one_member_granting_it if {
	mcp := {"virtual_server": "portal", "method": "completion/complete", "id": 1}
	decision := authz.decision with input as testdata.request(finance, mcp) with data.registry as testdata.registry
	decision.allowed
	decision.reasons == ["allowed by grant finance-payments"]
	decision.dynamic_metadata.server == ""
}

test_completion_in_a_single_virtual_server if {
	mcp := {"virtual_server": "payments", "method": "completion/complete", "id": 1}
	decision := authz.decision with input as testdata.request(finance, mcp) with data.registry as testdata.registry
	decision.allowed
	decision.dynamic_metadata.server == "payments"
}
