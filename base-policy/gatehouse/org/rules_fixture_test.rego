# Organisation rules for the base policy's own tests, so they run the same with or without a
# repository's rules: loaded only when Gatehouse tests its base policy, never beside a repository's
# policies/ (gatehouse test, check and compile leave this folder out).
package gatehouse.org

import data.gatehouse.request
import data.gatehouse.subject

# fixture_clearance is the highest clearance among the subject's teams; with no team, "internal".
default fixture_clearance := "internal"

fixture_clearance := name if {
	ranks := {data.registry.classification_rank[data.registry.teams[team].clearance] | some team in subject.teams}
	some name, rank in data.registry.classification_rank
	rank == max(ranks)
}

# A subject may only reach servers whose data classification its clearance covers.
deny contains concat("", [
	"server ", request.server, " holds ", classification,
	" data, above the subject's clearance (", fixture_clearance, ")",
]) if {
	classification := data.registry.servers[request.server].data_classification
	data.registry.classification_rank[classification] > data.registry.classification_rank[fixture_clearance]
}

# Rules on arguments, which the access list (no arguments) must not apply.
deny contains "fixture: refunds over 1000 need a second approver" if {
	fixture_refund_call
	input.mcp.arguments.amount > 1000
}

deny contains "fixture: a refund needs an amount" if {
	fixture_refund_call
	request.arguments_known
	not input.mcp.arguments.amount
}

fixture_refund_call if {
	request.method == "tools/call"
	request.tool == "issue_refund"
}
