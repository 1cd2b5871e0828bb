package gatehouse.subject_test

import data.gatehouse.subject
import data.gatehouse.testdata

test_principals_of_a_team_member if {
	claims := testdata.corp_claims(["ops"])
	principals := subject.principals with input.jwt.claims as claims with data.registry as testdata.registry
	principals == {"authenticated", "team:ops", "user:alice", "user:alice@example.com"}
}

test_email_principal_comes_from_the_providers_email_claim if {
	claims := {"iss": testdata.partner_issuer, "sub": "p-1", "mail": "carol@example.com", "email": "other@example.com"}
	subject.principals == {"authenticated", "user:p-1", "user:carol@example.com"} with input.jwt.claims as claims
		with data.registry as testdata.registry
}

test_empty_or_non_string_email_gives_no_principal if {
	every email in ["", 7] {
		claims := {"iss": testdata.corp_issuer, "email": email}
		subject.principals == {"authenticated"} with input.jwt.claims as claims with data.registry as testdata.registry
	}
}

test_unauthenticated_subject_has_no_principals if {
	claims := {"iss": "https://evil.example", "sub": "alice", "email": "alice@example.com"}
	count(subject.principals) == 0 with input.jwt.claims as claims with data.registry as testdata.registry
}

test_unverified_email_gives_no_principal if {
	claims := object.union(testdata.corp_claims([]), {"email_verified": false})
	principals := subject.principals with input.jwt.claims as claims with data.registry as testdata.registry
	principals == {"authenticated", "user:alice"}
}

test_verified_email_gives_a_principal if {
	claims := object.union(testdata.corp_claims([]), {"email_verified": true})
	"user:alice@example.com" in subject.principals with input.jwt.claims as claims with data.registry as testdata.registry
}
