# Organisation rules: each message in `deny` denies the request (HTTP 403), on top of the grants of
# the registry. They are optional: delete this file and its test to rely on grants alone.
# See docs/policy-contract.md in the Gatehouse package for what a rule can read.
package gatehouse.org

import data.gatehouse.request
import data.gatehouse.subject

# A high-risk tool may only be called by a member of the team that owns its server, even when a
# grant gives it to others.
deny contains concat("", ["tool ", request.tool, " is high risk: only team ", owner, " may call it"]) if {
	request.method == "tools/call"
	data.registry.servers[request.server].tools[request.tool].risk == "high"
	owner := data.registry.servers[request.server].owner
	not owner in subject.teams
}
