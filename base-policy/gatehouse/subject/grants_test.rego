package gatehouse.subject_test

import data.gatehouse.subject
import data.gatehouse.testdata

test_grant_entries_of_every_principal if {
	claims := {"iss": testdata.corp_issuer, "sub": "dave", "groups": ["auditors"]}
	grants := {entry.grant | some entry in subject.grant_entries} with input.jwt.claims as claims
		with data.registry as testdata.registry
	grants == {"everyone-read", "audit-crm", "dave-crm"}
}

test_unauthenticated_subject_has_no_grant_entries if {
	claims := {"iss": "https://evil.example", "sub": "dave"}
	count(subject.grant_entries) == 0 with input.jwt.claims as claims with data.registry as testdata.registry
}
