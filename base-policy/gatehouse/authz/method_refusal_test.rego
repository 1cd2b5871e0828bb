package gatehouse.authz_test

import data.gatehouse.authz
import data.gatehouse.testdata

test_tool_not_offered_by_the_virtual_server if {
	decision := authz.decision with input as testdata.tools_call(ops, "portal", "wiki__purge_page")
		with data.registry as testdata.registry
	decision.http_status == 403
	decision.reasons == ["tool wiki__purge_page is not offered by virtual server portal"]
	decision.dynamic_metadata.server == ""
}

test_tool_without_grant if {
	decision := authz.decision with input as testdata.tools_call(ops, "portal", "crm__delete_customer")
		with data.registry as testdata.registry
	decision.reasons == ["team ops has no grant for crm/delete_customer"]
}

test_tool_without_grant_names_every_team if {
	claims := testdata.corp_claims(["ops", "finance"])
	decision := authz.decision with input as testdata.tools_call(claims, "portal", "crm__delete_customer")
		with data.registry as testdata.registry
	decision.reasons == ["teams finance, ops have no grant for crm/delete_customer"]
}

test_resource_of_no_member_server if {
	mcp := {"virtual_server": "portal", "method": "resources/read", "id": 1, "uri": "payments+file:///x"}
	decision := authz.decision with input as testdata.request(ops, mcp) with data.registry as testdata.registry
	decision.reasons == ["resource payments+file:///x is on no server of virtual server portal"]
}

test_resource_without_grant if {
	mcp := {"virtual_server": "portal", "method": "resources/read", "id": 1, "uri": "wiki+file:///home"}
	decision := authz.decision with input as testdata.request(ops, mcp) with data.registry as testdata.registry
	decision.reasons == ["team ops has no grant for resources/read on wiki"]
}

test_subscription_without_grant if {
	mcp := {"virtual_server": "portal", "method": "resources/subscribe", "id": 1, "uri": "crm+file:///customers/7"}
	decision := authz.decision with input as testdata.request(ops, mcp) with data.registry as testdata.registry
	decision.reasons == ["team ops has no grant for resources/subscribe on crm"]
}

test_prompt_of_no_member_server if {
	mcp := {"virtual_server": "portal", "method": "prompts/get", "id": 1, "name": "onboarding"}
	decision := authz.decision with input as testdata.request(ops, mcp) with data.registry as testdata.registry
	decision.reasons == ["prompt onboarding is on no server of virtual server portal"]
}

test_completion_without_grant_on_any_member if {
	mcp := {"virtual_server": "portal", "method": "completion/complete", "id": 1}
	decision := authz.decision with input as testdata.request(ops, mcp) with data.registry as testdata.registry
	decision.reasons == ["team ops has no grant for completion/complete on crm, wiki"]
}

test_request_without_method if {
	decision := authz.decision with input as testdata.request(ops, {"virtual_server": "portal"})
		with data.registry as testdata.registry
	decision.http_status == 403
	decision.reasons == ["the request carries no MCP method"]
}

test_other_methods_are_not_allowed if {
	every method in ["tasks/list", "sampling/createMessage"] {
		mcp := {"virtual_server": "portal", "method": method, "id": 1}
		decision := authz.decision with input as testdata.request(ops, mcp) with data.registry as testdata.registry
		decision.http_status == 403
		decision.reasons == [concat("", ["method ", method, " is not allowed"])]
	}
}
