package gatehouse.subject_test

import data.gatehouse.subject
import data.gatehouse.testdata

test_a_token_of_a_known_issuer_authenticates if {
	claims := testdata.corp_claims(["ops"])
	subject.authenticated with input.jwt.claims as claims with data.registry as testdata.registry
	subject.provider_name == "corp" with input.jwt.claims as claims with data.registry as testdata.registry
	subject.id == "alice" with input.jwt.claims as claims with data.registry as testdata.registry
}

test_an_unknown_issuer_does_not_authenticate if {
	claims := {"iss": "https://evil.example", "sub": "mallory", "groups": ["ops"]}
	not subject.authenticated with input.jwt.claims as claims with data.registry as testdata.registry
	subject.id == "" with input.jwt.claims as claims with data.registry as testdata.registry
}

test_no_token_does_not_authenticate if {
	not subject.authenticated with input as {} with data.registry as testdata.registry
}

test_a_token_without_sub_has_an_empty_id if {
	claims := {"iss": testdata.corp_issuer, "groups": ["ops"]}
	subject.authenticated with input.jwt.claims as claims with data.registry as testdata.registry
	subject.id == "" with input.jwt.claims as claims with data.registry as testdata.registry
}
