package gatehouse.authz

import data.gatehouse.request
import data.gatehouse.subject

# permits are the reasons a request is allowed, before organisation rules: none means deny.
permits contains reason if {
	request.is_discovery
	may_use_virtual_server
	reason := concat("", ["discovery method allowed: subject has access to virtual server ", request.virtual_server])
}

permits contains concat("", ["allowed by grant ", grant]) if some grant in granting_grants

# granting_grants are the grants, held by one of the subject's principals, that cover the request.
granting_grants contains entry.grant if {
	request.method == "tools/call"
	some entry in subject.grant_entries
	entry.server == request.server
	request.tool in entry.tools
	"tools/call" in entry.methods
}

granting_grants contains entry.grant if {
	request.is_server_method
	some entry in subject.grant_entries
	entry.server in request.target_servers
	request.method in entry.methods
}
