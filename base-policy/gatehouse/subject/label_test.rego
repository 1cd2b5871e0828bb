package gatehouse.subject_test

import data.gatehouse.subject
import data.gatehouse.testdata

test_lacks_names_the_only_team if {
	claims := testdata.corp_claims(["ops"])
	subject.lacks("grant for x") == "team ops has no grant for x" with input.jwt.claims as claims
		with data.registry as testdata.registry
}

test_lacks_names_several_teams if {
	claims := testdata.corp_claims(["ops", "auditors"])
	subject.lacks("grant for x") == "teams auditors, ops have no grant for x" with input.jwt.claims as claims
		with data.registry as testdata.registry
}

test_lacks_names_a_subject_in_no_team_by_sub if {
	claims := testdata.corp_claims([])
	subject.lacks("grant for x") == "subject alice has no grant for x" with input.jwt.claims as claims
		with data.registry as testdata.registry
}

test_lacks_without_team_or_sub if {
	claims := {"iss": testdata.corp_issuer}
	subject.lacks("grant for x") == "the subject has no grant for x" with input.jwt.claims as claims
		with data.registry as testdata.registry
}
