package gatehouse.subject_test

import data.gatehouse.subject
import data.gatehouse.testdata

test_groups_claim_as_an_array if {
	claims := testdata.corp_claims(["ops", "finance", 7, "unknown"])
	subject.groups == {"ops", "finance", "unknown"} with input.jwt.claims as claims with data.registry as testdata.registry
	subject.teams == {"ops", "finance"} with input.jwt.claims as claims with data.registry as testdata.registry
}

test_groups_claim_as_a_single_string if {
	claims := {"iss": testdata.partner_issuer, "sub": "p-1", "roles": "audit"}
	subject.groups == {"audit"} with input.jwt.claims as claims with data.registry as testdata.registry
	subject.teams == {"auditors"} with input.jwt.claims as claims with data.registry as testdata.registry
}

test_groups_map_to_teams_only_at_their_own_provider if {
	# "audit" is the auditors' group at partner, not at corp.
	claims := testdata.corp_claims(["audit"])
	count(subject.teams) == 0 with input.jwt.claims as claims with data.registry as testdata.registry
}

test_groups_claim_of_another_type_gives_no_groups if {
	claims := object.union(testdata.corp_claims([]), {"groups": {"ops": true}})
	count(subject.groups) == 0 with input.jwt.claims as claims with data.registry as testdata.registry
}

test_unauthenticated_subject_has_no_teams if {
	claims := {"iss": "https://evil.example", "groups": ["ops"]}
	count(subject.teams) == 0 with input.jwt.claims as claims with data.registry as testdata.registry
}
