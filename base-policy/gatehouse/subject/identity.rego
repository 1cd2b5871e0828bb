# Package subject is who sent the request, from the claims of the JWT that Envoy verified: the
# identity provider that issued it, the subject's teams and the principals grants are filed under.
package gatehouse.subject

claims := input.jwt.claims

# provider_name is the identity provider whose issuer signed the token.
provider_name := data.registry.issuers[claims.iss]

provider := data.registry.identity_providers[provider_name]

# authenticated holds when a verified token comes from a known identity provider.
authenticated if provider

# id is the sub claim; "" when unauthenticated or absent.
default id := ""

id := claims.sub if {
	authenticated
	is_string(claims.sub)
}
