package gatehouse.org_test

import data.gatehouse.org
import data.gatehouse.testdata

test_clearance_is_the_highest_of_the_teams if {
	clearance := org.clearance with input.jwt.claims as testdata.corp_claims(["auditors", "finance"])
		with data.registry as testdata.registry
	clearance == "restricted"
}

test_clearance_without_a_team_is_internal if {
	org.clearance == "internal" with input.jwt.claims as testdata.corp_claims([])
		with data.registry as testdata.registry
}

test_server_above_the_clearance_is_denied if {
	claims := testdata.corp_claims(["ops"])
	deny := org.deny with input as testdata.tools_call(claims, "payments", "lookup_payment")
		with data.registry as testdata.registry
	deny == {"server payments holds restricted data, above the subject's clearance (confidential)"}
}

test_server_within_the_clearance_is_not_denied if {
	claims := testdata.corp_claims(["ops"])
	deny := org.deny with input as testdata.tools_call(claims, "portal", "crm__find_customer")
		with data.registry as testdata.registry
	count(deny) == 0
}

test_requests_without_a_server_are_not_checked if {
	mcp := {"virtual_server": "payments", "method": "tools/list"}
	deny := org.deny with input as testdata.request(testdata.corp_claims([]), mcp)
		with data.registry as testdata.registry
	count(deny) == 0
}
