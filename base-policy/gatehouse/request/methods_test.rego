package gatehouse.request_test

import data.gatehouse.request

test_discovery_methods if {
	every method in ["initialize", "ping", "tools/list", "prompts/list", "resources/list", "resources/templates/list"] {
		request.is_discovery with input as {"mcp": {"method": method}}
	}
	every method in ["logging/setLevel", "__jsonrpc_response", "notifications/initialized", "notifications/cancelled"] {
		request.is_discovery with input as {"mcp": {"method": method}}
	}
}

test_other_methods_are_not_discovery if {
	every method in ["tools/call", "resources/read", "resources/subscribe", "notifications", ""] {
		not request.is_discovery with input as {"mcp": {"method": method}}
	}
}

test_server_methods if {
	not request.is_server_method with input as {"mcp": {"method": "tools/call"}}
	server_methods := [
		"resources/read", "resources/subscribe", "resources/unsubscribe",
		"prompts/get", "completion/complete",
	]
	every method in server_methods {
		request.is_server_method with input as {"mcp": {"method": method}}
	}
}

test_session_requests_are_discovery if {
	every verb in ["GET", "DELETE"] {
		request.is_discovery with input as {"mcp": {}, "attributes": {"request": {"http": {"method": verb}}}}
	}
}

test_methodless_post_is_not_a_session_request if {
	not request.is_session_request with input as {"mcp": {}, "attributes": {"request": {"http": {"method": "POST"}}}}
	listing_over_get := {"mcp": {"method": "tools/list"}, "attributes": {"request": {"http": {"method": "GET"}}}}
	not request.is_session_request with input as listing_over_get
}
