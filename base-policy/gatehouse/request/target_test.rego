package gatehouse.request_test

import data.gatehouse.request
import data.gatehouse.testdata

test_tools_call_targets_the_tool_behind_the_public_name if {
	mcp := {"virtual_server": "portal", "method": "tools/call", "name": "crm__find_customer"}
	request.server == "crm" with input.mcp as mcp with data.registry as testdata.registry
	request.tool == "find_customer" with input.mcp as mcp with data.registry as testdata.registry
	count(request.target_servers) == 0 with input.mcp as mcp with data.registry as testdata.registry
}

test_tools_call_of_a_name_not_offered_targets_nothing if {
	mcp := {"virtual_server": "portal", "method": "tools/call", "name": "wiki__purge_page"}
	not request.server with input.mcp as mcp with data.registry as testdata.registry
	not request.tool with input.mcp as mcp with data.registry as testdata.registry
}

test_server_methods_of_a_single_virtual_server_target_its_member if {
	every method in ["resources/read", "prompts/get", "completion/complete"] {
		mcp := {"virtual_server": "wiki", "method": method, "name": "any", "uri": "file:///any"}
		request.server == "wiki" with input.mcp as mcp with data.registry as testdata.registry
		request.target_servers == {"wiki"} with input.mcp as mcp with data.registry as testdata.registry
	}
}

test_resources_read_in_an_aggregated_virtual_server_targets_the_uri_prefix if {
	mcp := {"virtual_server": "portal", "method": "resources/read", "uri": "crm+file:///customers/7"}
	request.server == "crm" with input.mcp as mcp with data.registry as testdata.registry
}

test_resources_read_of_a_prefix_that_is_no_member_targets_nothing if {
	every uri in ["payments+file:///x", "file:///x"] {
		mcp := {"virtual_server": "portal", "method": "resources/read", "uri": uri}
		not request.server with input.mcp as mcp with data.registry as testdata.registry
	}
}

test_prompts_get_in_an_aggregated_virtual_server_targets_the_name_prefix if {
	prefixed := {"virtual_server": "portal", "method": "prompts/get", "name": "wiki__style_guide"}
	request.server == "wiki" with input.mcp as prefixed with data.registry as testdata.registry
	bare := {"virtual_server": "portal", "method": "prompts/get", "name": "style_guide"}
	not request.server with input.mcp as bare with data.registry as testdata.registry
}

test_completion_in_an_aggregated_virtual_server_targets_every_member if {
	mcp := {"virtual_server": "portal", "method": "completion/complete"}
	not request.server with input.mcp as mcp with data.registry as testdata.registry
	request.target_servers == {"crm", "wiki"} with input.mcp as mcp with data.registry as testdata.registry
}

test_discovery_targets_no_server if {
	mcp := {"virtual_server": "wiki", "method": "tools/list"}
	not request.server with input.mcp as mcp with data.registry as testdata.registry
	count(request.target_servers) == 0 with input.mcp as mcp with data.registry as testdata.registry
}
