package gatehouse.authz_test

import data.gatehouse.authz
import data.gatehouse.testdata

ops := testdata.corp_claims(["ops"])

test_allow_decision if {
	decision := authz.decision with input as testdata.tools_call(ops, "portal", "crm__find_customer")
		with data.registry as testdata.registry
	decision == {
		"allowed": true,
		"http_status": 200,
		"headers": {},
		"body": "",
		"reasons": ["allowed by grant ops-crm"],
		"dynamic_metadata": {
			"decision": "allow",
			"reasons": ["allowed by grant ops-crm"],
			"subject": "alice",
			"teams": ["ops"],
			"team": "ops",
			"virtual_server": "portal",
			"server": "crm",
			"tool": "find_customer",
		},
	}
}

test_deny_decision if {
	decision := authz.decision with input as testdata.tools_call(ops, "portal", "crm__delete_customer")
		with data.registry as testdata.registry
	decision.allowed == false
	decision.http_status == 403
	decision.headers == {"content-type": "application/json"}
	reasons := ["team ops has no grant for crm/delete_customer"]
	decision.reasons == reasons
	decision.dynamic_metadata == {
		"decision": "deny",
		"reasons": reasons,
		"subject": "alice",
		"teams": ["ops"],
		"team": "ops",
		"virtual_server": "portal",
		"server": "crm",
		"tool": "delete_customer",
	}
	json.unmarshal(decision.body) == {
		"jsonrpc": "2.0",
		"id": 1,
		"error": {"code": -32003, "message": reasons[0], "data": {"reasons": reasons}},
	}
}

test_deny_body_bytes_keep_json_rpc_key_order if {
	decision := authz.decision with input as {"mcp": {"virtual_server": "wiki", "method": "ping", "id": "p-1"}}
		with data.registry as testdata.registry
	message := "authentication required: no valid token from a known identity provider"
	decision.body == concat("", [
		`{"jsonrpc":"2.0","id":"p-1","error":{"code":-32001,"message":"`, message,
		`","data":{"reasons":["`, message, `"]}}}`,
	])
}

test_deny_of_a_notification_has_a_null_id if {
	mcp := {"virtual_server": "nope", "method": "notifications/initialized"}
	decision := authz.decision with input as testdata.request(ops, mcp) with data.registry as testdata.registry
	json.unmarshal(decision.body).id == null
}

test_request_without_a_target_logs_empty_server_and_tool if {
	mcp := {"virtual_server": "portal", "method": "tools/list", "id": 2}
	decision := authz.decision with input as testdata.request(ops, mcp) with data.registry as testdata.registry
	decision.allowed
	decision.dynamic_metadata.server == ""
	decision.dynamic_metadata.tool == ""
}
