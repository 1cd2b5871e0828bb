package gatehouse.request_test

import data.gatehouse.request
import data.gatehouse.testdata

test_reads_the_request_from_input_mcp if {
	mcp := {"virtual_server": "wiki", "method": "tools/list", "id": "a-1"}
	request.method == "tools/list" with input as {"mcp": mcp}
	request.virtual_server == "wiki" with input as {"mcp": mcp}
	request.id == "a-1" with input as {"mcp": mcp}
	request.virtual_server_config == testdata.registry.virtual_servers.wiki with input as {"mcp": mcp}
		with data.registry as testdata.registry
}

test_missing_fields_have_defaults if {
	request.method == "" with input as {}
	request.virtual_server == "" with input as {}
	request.id == null with input as {}
	request.name == "" with input as {}
	request.uri == "" with input as {}
}

test_fields_of_the_wrong_type_are_ignored if {
	mcp := {"virtual_server": 7, "method": ["tools/call"], "name": {}, "uri": 1}
	request.method == "" with input as {"mcp": mcp}
	request.virtual_server == "" with input as {"mcp": mcp}
	request.name == "" with input as {"mcp": mcp}
	request.uri == "" with input as {"mcp": mcp}
}

test_unknown_virtual_server_has_no_config if {
	not request.virtual_server_config with input as {"mcp": {"virtual_server": "nope"}}
		with data.registry as testdata.registry
}
