package gatehouse.access_test

import data.gatehouse.access
import data.gatehouse.testdata

nothing := {"principals": [], "teams": [], "virtual_servers": {}, "servers": {}}

test_unauthenticated_subject_may_call_nothing if {
	claims := {"iss": "https://evil.example", "sub": "alice", "groups": ["ops"]}
	access.tools == nothing with input.jwt.claims as claims with data.registry as testdata.registry
}

test_no_input_may_call_nothing if {
	access.tools == nothing with data.registry as testdata.registry
}

test_tools_of_a_team_in_every_virtual_server_that_offers_them if {
	tools := access.tools with input.jwt.claims as testdata.corp_claims(["ops"])
		with data.registry as testdata.registry
	tools == {
		"principals": ["authenticated", "team:ops", "user:corp/alice"],
		"teams": ["ops"],
		# retired_page is granted but offered nowhere; purge_page is offered but not granted.
		"virtual_servers": {
			"portal": ["crm__find_customer", "wiki__edit_page", "wiki__read_page"],
			"wiki": ["edit_page", "read_page"],
		},
		"servers": {"crm": ["find_customer"], "wiki": ["edit_page", "read_page"]},
	}
}

test_clearance_removes_tools_of_servers_above_it if {
	# Auditors are granted crm's tools, but their clearance (internal) is below crm (confidential).
	tools := access.tools with input.jwt.claims as testdata.corp_claims(["auditors"])
		with data.registry as testdata.registry
	tools.virtual_servers == {"portal": ["wiki__read_page"], "wiki": ["read_page"]}
	tools.servers == {"wiki": ["read_page"]}
}

test_a_subject_in_no_team_has_internal_clearance if {
	claims := {"iss": testdata.corp_issuer, "sub": "dave"}
	tools := access.tools with input.jwt.claims as claims with data.registry as testdata.registry
	tools.principals == ["authenticated", "user:corp/dave"]
	tools.servers == {"wiki": ["read_page"]}
}

test_rules_on_arguments_do_not_remove_tools if {
	# refund_limit denies refunds by their amount; the access list does not know the amount.
	tools := access.tools with input.jwt.claims as testdata.corp_claims(["finance"])
		with data.registry as testdata.registry
	tools.virtual_servers.payments == ["issue_refund", "lookup_payment"]
}

test_an_org_rule_denying_every_call_removes_every_tool if {
	tools := access.tools with input.jwt.claims as testdata.corp_claims(["ops"])
		with data.registry as testdata.registry
		with data.gatehouse.org.deny as {"maintenance window"}
	tools.virtual_servers == {}
	tools.servers == {}
}
