package gatehouse.subject

# group_claim is the provider's groups claim: an array of groups or a single one.
group_claim := claims[provider.groups_claim]

groups contains group if {
	is_array(group_claim)
	some group in group_claim
	is_string(group)
}

groups contains group_claim if is_string(group_claim)

# teams are the teams that map one of the subject's groups at its identity provider.
teams contains team if {
	some team, config in data.registry.teams
	some idp_group in config.idp_groups
	idp_group.provider == provider_name
	idp_group.group in groups
}
