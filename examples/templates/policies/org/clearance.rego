package gatehouse.org

import data.gatehouse.request
import data.gatehouse.subject

# clearance is the highest clearance among the subject's teams; a subject in no team has
# clearance "internal".
default clearance := "internal"

clearance := name if {
	ranks := {data.registry.classification_rank[data.registry.teams[team].clearance] | some team in subject.teams}
	some name, rank in data.registry.classification_rank
	rank == max(ranks)
}

# A subject may only reach servers whose data classification its clearance covers.
deny contains concat("", [
	"server ", request.server, " holds ", classification,
	" data, above the subject's clearance (", clearance, ")",
]) if {
	classification := data.registry.servers[request.server].data_classification
	data.registry.classification_rank[classification] > data.registry.classification_rank[clearance]
}
