package gatehouse.authz_test

import data.gatehouse.authz
import data.gatehouse.testdata

ops_and_auditors := testdata.corp_claims(["auditors", "ops"])

test_the_team_whose_grant_allowed_the_call_is_attributed if {
	# auditors sorts first, but only ops holds a grant for wiki/edit_page.
	decision := authz.decision with input as testdata.tools_call(ops_and_auditors, "portal", "wiki__edit_page")
		with data.registry as testdata.registry
	decision.allowed
	decision.dynamic_metadata.team == "ops"
	decision.dynamic_metadata.teams == ["auditors", "ops"]
}

test_of_several_granting_teams_the_first_by_name_is_attributed if {
	# audit-crm (auditors) and ops-crm (ops) both cover crm/find_customer.
	decision := authz.decision with input as testdata.tools_call(ops_and_auditors, "portal", "crm__find_customer")
		with data.registry as testdata.registry
	decision.reasons == ["allowed by grant audit-crm", "allowed by grant ops-crm"]
	decision.dynamic_metadata.team == "auditors"
}

test_a_grant_to_everyone_attributes_the_first_team if {
	finance := testdata.corp_claims(["finance"])
	decision := authz.decision with input as testdata.tools_call(finance, "wiki", "read_page")
		with data.registry as testdata.registry
	decision.reasons == ["allowed by grant everyone-read"]
	decision.dynamic_metadata.team == "finance"
}

test_a_denial_attributes_the_first_team if {
	decision := authz.decision with input as testdata.tools_call(ops_and_auditors, "wiki", "purge_page")
		with data.registry as testdata.registry
	not decision.allowed
	decision.dynamic_metadata.team == "auditors"
}

test_a_subject_in_no_team_is_attributed_to_none if {
	decision := authz.decision with input as testdata.tools_call(testdata.corp_claims([]), "wiki", "read_page")
		with data.registry as testdata.registry
	decision.allowed
	decision.dynamic_metadata.team == ""
}
