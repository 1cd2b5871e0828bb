package gatehouse.authz_test

import data.gatehouse.authz
import data.gatehouse.testdata

test_an_org_rule_denies_an_allowed_request if {
	decision := authz.decision with input as testdata.tools_call(ops, "wiki", "edit_page")
		with data.registry as testdata.registry
		with data.gatehouse.org.deny as {"wiki edits are frozen"}
	decision.allowed == false
	decision.http_status == 403
	decision.reasons == ["wiki edits are frozen"]
	json.unmarshal(decision.body).error == {
		"code": -32003,
		"message": "wiki edits are frozen",
		"data": {"reasons": ["wiki edits are frozen"]},
	}
}

test_org_and_grant_reasons_are_reported_together if {
	decision := authz.decision with input as testdata.tools_call(ops, "wiki", "purge_page")
		with data.registry as testdata.registry
		with data.gatehouse.org.deny as {"wiki edits are frozen"}
	decision.reasons == ["team ops has no grant for wiki/purge_page", "wiki edits are frozen"]
	json.unmarshal(decision.body).error.message == "team ops has no grant for wiki/purge_page; wiki edits are frozen"
}

test_a_message_that_is_no_string_is_reported_as_json if {
	decision := authz.decision with input as testdata.tools_call(ops, "wiki", "edit_page")
		with data.registry as testdata.registry
		with data.gatehouse.org.deny as {{"msg": "frozen"}}
	decision.reasons == [`{"msg":"frozen"}`]
}

test_a_deny_that_is_no_set_fails_closed if {
	decision := authz.decision with input as testdata.tools_call(ops, "wiki", "edit_page")
		with data.registry as testdata.registry
		with data.gatehouse.org.deny as true
	decision.allowed == false
	decision.reasons == ["organisation rules: data.gatehouse.org.deny must be a set of messages"]
}

test_the_organisation_rules_apply if {
	# The auditors' clearance (internal) is below crm's classification (confidential).
	claims := testdata.corp_claims(["auditors"])
	decision := authz.decision with input as testdata.tools_call(claims, "portal", "crm__find_customer")
		with data.registry as testdata.registry
	decision.allowed == false
	decision.reasons == ["server crm holds confidential data, above the subject's clearance (internal)"]
}

test_a_rule_on_arguments_denies_by_the_call_arguments if {
	claims := testdata.corp_claims(["finance"])
	refund := {"virtual_server": "payments", "method": "tools/call", "name": "issue_refund", "arguments": {"amount": 5000}}
	decision := authz.decision with input as testdata.request(claims, refund)
		with data.registry as testdata.registry
	decision.allowed == false
	decision.reasons == ["fixture: refunds over 1000 need a second approver"]
}

test_a_rule_on_missing_arguments_denies_a_call_without_them if {
	claims := testdata.corp_claims(["finance"])
	decision := authz.decision with input as testdata.tools_call(claims, "payments", "issue_refund")
		with data.registry as testdata.registry
	decision.reasons == ["fixture: a refund needs an amount"]
}

test_a_call_the_rules_on_arguments_accept_is_allowed if {
	claims := testdata.corp_claims(["finance"])
	refund := {"virtual_server": "payments", "method": "tools/call", "name": "issue_refund", "arguments": {"amount": 20}}
	decision := authz.decision with input as testdata.request(claims, refund)
		with data.registry as testdata.registry
	decision.allowed == true
}
