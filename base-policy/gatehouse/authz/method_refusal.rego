package gatehouse.authz

import data.gatehouse.request
import data.gatehouse.subject

# method_refusal says why no grant permits the request's method.
method_refusal := concat("", ["tool ", request.name, " is not offered by virtual server ", request.virtual_server]) if {
	request.method == "tools/call"
	not request.offered_tool
} else := subject.lacks(concat("", ["grant for ", request.server, "/", request.tool])) if {
	request.method == "tools/call"
} else := concat("", ["resource ", request.uri, " is on no server of virtual server ", request.virtual_server]) if {
	request.method in request.resource_methods
	not request.server
} else := concat("", ["prompt ", request.name, " is on no server of virtual server ", request.virtual_server]) if {
	request.method == "prompts/get"
	not request.server
} else := subject.lacks(concat("", ["grant for ", request.method, " on ", target_servers])) if {
	request.is_server_method
} else := "the request carries no MCP method" if {
	request.method == ""
} else := concat("", ["method ", request.method, " is not allowed"])

target_servers := concat(", ", sort(request.target_servers))
