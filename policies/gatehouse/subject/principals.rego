package gatehouse.subject

# principals are the names grants are filed under in data.registry.grants_by_subject.
principals contains "authenticated" if authenticated

principals contains concat("", ["team:", team]) if some team in teams

principals contains concat("", ["user:", id]) if id != ""

principals contains concat("", ["user:", email]) if {
	email := claims[provider.email_claim]
	is_string(email)
	email != ""
}
