package gatehouse.subject_test

import data.gatehouse.subject
import data.gatehouse.testdata

test_principals_of_a_team_member if {
	claims := testdata.corp_claims(["ops"])
	principals := subject.principals with input.jwt.claims as claims with data.registry as testdata.registry
	principals == {"authenticated", "team:ops", "user:corp/alice"}
}

test_a_user_principal_names_the_provider_that_issued_the_token if {
	claims := {"iss": testdata.partner_issuer, "sub": "alice"}
	subject.principals == {"authenticated", "user:partner/alice"} with input.jwt.claims as claims
		with data.registry as testdata.registry
}

test_a_sub_that_looks_like_an_email_is_no_email_principal if {
	# Forged: another provider's token whose sub is carol's address must not match email:carol@….
	claims := {"iss": testdata.partner_issuer, "sub": "carol@example.com"}
	principals := subject.principals with input.jwt.claims as claims with data.registry as testdata.registry
	principals == {"authenticated", "user:partner/carol@example.com"}
	not "email:carol@example.com" in principals
}

test_email_principal_comes_from_the_providers_email_claim if {
	claims := {
		"iss": testdata.partner_issuer, "sub": "p-1",
		"mail": "carol@example.com", "email": "other@example.com", "email_verified": true,
	}
	subject.principals == {"authenticated", "user:partner/p-1", "email:carol@example.com"} with input.jwt.claims as claims
		with data.registry as testdata.registry
}

test_empty_or_non_string_email_gives_no_principal if {
	every email in ["", 7] {
		claims := {"iss": testdata.corp_issuer, "email": email, "email_verified": true}
		subject.principals == {"authenticated"} with input.jwt.claims as claims with data.registry as testdata.registry
	}
}

test_unauthenticated_subject_has_no_principals if {
	claims := {"iss": "https://evil.example", "sub": "alice", "email": "alice@example.com", "email_verified": true}
	count(subject.principals) == 0 with input.jwt.claims as claims with data.registry as testdata.registry
}

test_an_email_is_a_principal_only_when_verified_is_exactly_true if {
	# Forged: "false" and "true" as strings, a missing claim, 1, and false all give no email principal.
	every verified in ["false", "true", 1, false, null] {
		claims := object.union(testdata.corp_claims([]), {"email_verified": verified})
		principals := subject.principals with input.jwt.claims as claims with data.registry as testdata.registry
		principals == {"authenticated", "user:corp/alice"}
	}
	unsaid := subject.principals with input.jwt.claims as testdata.corp_claims([])
		with data.registry as testdata.registry
	unsaid == {"authenticated", "user:corp/alice"}
}

test_verified_email_gives_a_principal if {
	claims := object.union(testdata.corp_claims([]), {"email_verified": true})
	"email:alice@example.com" in subject.principals with input.jwt.claims as claims with data.registry as testdata.registry
}
