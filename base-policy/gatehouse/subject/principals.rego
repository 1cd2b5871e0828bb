package gatehouse.subject

# principals are the names grants are filed under in data.registry.grants_by_subject.
principals contains "authenticated" if authenticated

principals contains concat("", ["team:", team]) if some team in teams

# user:<provider>/<sub>: a sub names a user only at the provider that issued it, so another
# provider's token whose sub happens to be the same string (or an email) matches nothing.
principals contains concat("", ["user:", provider_name, "/", id]) if id != ""

# email:<address>, from the provider's email claim, only when the token says the provider verified
# it (email_verified exactly true; the string "true" is not enough): an unverified address could
# be anyone's, and a grant to email:<address> must not follow it.
principals contains concat("", ["email:", email]) if {
	email := claims[provider.email_claim]
	is_string(email)
	email != ""
	claims.email_verified == true
}
