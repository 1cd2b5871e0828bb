package gatehouse.authz_test

import data.gatehouse.authz
import data.gatehouse.testdata

authentication_required := "authentication required: no valid token from a known identity provider"

test_no_token_is_401 if {
	decision := authz.decision with input as {"mcp": {"virtual_server": "wiki", "method": "tools/list", "id": 1}}
		with data.registry as testdata.registry
	decision.http_status == 401
	decision.reasons == [authentication_required]
	json.unmarshal(decision.body).error.code == -32001
}

test_unknown_issuer_is_401 if {
	claims := {"iss": "https://evil.example", "sub": "alice", "groups": ["ops"]}
	decision := authz.decision with input as testdata.tools_call(claims, "wiki", "read_page")
		with data.registry as testdata.registry
	decision.http_status == 401
	decision.dynamic_metadata.subject == ""
}

test_401_comes_before_404 if {
	decision := authz.decision with input as {"mcp": {"virtual_server": "nope", "method": "tools/list"}}
		with data.registry as testdata.registry
	decision.http_status == 401
}

test_unknown_virtual_server_is_404 if {
	decision := authz.decision with input as testdata.tools_call(ops, "nope", "read_page")
		with data.registry as testdata.registry
	decision.http_status == 404
	decision.reasons == ["virtual server nope does not exist"]
	json.unmarshal(decision.body).error.code == -32004
}

test_missing_virtual_server_is_404 if {
	decision := authz.decision with input as testdata.request(ops, {"method": "tools/list", "id": 1})
		with data.registry as testdata.registry
	decision.http_status == 404
	decision.reasons == ["the request names no virtual server"]
}

test_no_access_to_the_virtual_server_is_403 if {
	every method in ["tools/list", "initialize", "tools/call"] {
		mcp := {"virtual_server": "payments", "method": method, "id": 1, "name": "lookup_payment"}
		decision := authz.decision with input as testdata.request(ops, mcp) with data.registry as testdata.registry
		decision.http_status == 403
		decision.reasons == ["team ops has no access to virtual server payments"]
		json.unmarshal(decision.body).error.code == -32003
	}
}
