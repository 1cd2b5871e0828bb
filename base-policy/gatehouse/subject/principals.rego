package gatehouse.subject

# principals are the names grants are filed under in data.registry.grants_by_subject.
principals contains "authenticated" if authenticated

principals contains concat("", ["team:", team]) if some team in teams

principals contains concat("", ["user:", id]) if id != ""

# An email names a user only if the provider has not said it is unverified (email_verified: false):
# an unverified address could be anyone's, and a grant to user:<email> must not follow it.
principals contains concat("", ["user:", email]) if {
	email := claims[provider.email_claim]
	is_string(email)
	email != ""
	not claims.email_verified == false
}
