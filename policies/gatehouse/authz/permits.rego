package gatehouse.authz

import data.gatehouse.request
import data.gatehouse.subject

# permits are the reasons a request is allowed, before organisation rules: none means deny.
permits contains reason if {
	request.is_discovery
	may_use_virtual_server
	reason := concat("", ["discovery method allowed: subject has access to virtual server ", request.virtual_server])
}

permits contains concat("", ["allowed by grant ", entry.grant]) if {
	request.method == "tools/call"
	some entry in subject.grant_entries
	entry.server == request.server
	request.tool in entry.tools
	"tools/call" in entry.methods
}

permits contains concat("", ["allowed by grant ", entry.grant]) if {
	request.is_server_method
	some entry in subject.grant_entries
	entry.server in request.target_servers
	request.method in entry.methods
}
