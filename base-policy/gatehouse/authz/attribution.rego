package gatehouse.authz

import data.gatehouse.subject

# attributed_team is the team a request is attributed to in the audit log, metrics and cost
# reports: of the subject's teams, the first (by name) that a grant allowing the request names;
# when no team's grant allowed it (a denial, a discovery method, a grant to `authenticated` or to
# the user), the first of the subject's teams; "" when the subject is in no team.
default attributed_team := ""

attributed_team := min(granting_teams) if {
	count(granting_teams) > 0
} else := min(subject.teams) if {
	count(subject.teams) > 0
}

# granting_teams are the subject's teams that a grant allowing the request names as a subject.
granting_teams contains team if {
	some grant in granting_grants
	some principal in data.registry.grants[grant].subjects
	startswith(principal, "team:")
	team := substring(principal, 5, -1)
	team in subject.teams
}
