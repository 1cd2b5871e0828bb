package gatehouse.authz

import data.gatehouse.request
import data.gatehouse.routing
import data.gatehouse.subject

# may_use_virtual_server holds when the subject has some access in the request's virtual server: a
# granted tool that it offers, or a server-wide method granted on one of its servers.
may_use_virtual_server if {
	some entry in subject.grant_entries
	"tools/call" in entry.methods
	some tool in entry.tools
	routing.offers(request.virtual_server_config, entry.server, tool)
}

may_use_virtual_server if {
	some entry in subject.grant_entries
	entry.server in request.virtual_server_config.servers
	some method in entry.methods
	method != "tools/call"
}
