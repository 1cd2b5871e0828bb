package gatehouse.authz_test

import data.gatehouse.authz
import data.gatehouse.testdata

entry(server, tools, methods) := {"grant": "g", "server": server, "tools": tools, "methods": methods}

test_a_granted_tool_the_virtual_server_offers_gives_access if {
	authz.may_use_virtual_server with input.mcp.virtual_server as "portal"
		with data.registry as testdata.registry
		with data.gatehouse.subject.grant_entries as {entry("crm", ["find_customer"], ["tools/call"])}
}

test_a_granted_tool_the_virtual_server_does_not_offer_gives_no_access if {
	not authz.may_use_virtual_server with input.mcp.virtual_server as "portal"
		with data.registry as testdata.registry
		with data.gatehouse.subject.grant_entries as {entry("wiki", ["purge_page"], ["tools/call"])}
}

test_a_server_wide_method_on_a_member_gives_access if {
	authz.may_use_virtual_server with input.mcp.virtual_server as "portal"
		with data.registry as testdata.registry
		with data.gatehouse.subject.grant_entries as {entry("wiki", ["purge_page"], ["resources/read"])}
}

test_grants_on_other_servers_give_no_access if {
	not authz.may_use_virtual_server with input.mcp.virtual_server as "portal"
		with data.registry as testdata.registry
		with data.gatehouse.subject.grant_entries as {entry("payments", ["issue_refund"], ["tools/call", "prompts/get"])}
}
