package gatehouse.request

import data.gatehouse.routing

# name is params.name: the public tool name of a tools/call, the prompt name of a prompts/get.
default name := ""

name := input.mcp.name if is_string(input.mcp.name)

# uri is params.uri of a resources/* request.
default uri := ""

uri := input.mcp.uri if is_string(input.mcp.uri)

# offered_tool is the {server, tool} a virtual server offers under the public name of a tools/call.
offered_tool := virtual_server_config.tools[name] if method == "tools/call"

# tool is the bare name of the tool a tools/call runs.
tool := offered_tool.tool

# server is the one server the request goes to. Undefined for methods that fan out to every member,
# for names the virtual server does not offer, and for completion/complete on an aggregated virtual
# server (its target is in params.ref, which input.mcp does not carry).
server := offered_tool.server

server := virtual_server_config.servers[0] if {
	is_server_method
	not virtual_server_config.aggregated
}

server := member if {
	method in resource_methods
	virtual_server_config.aggregated
	member := routing.resource_server(uri)
	member in virtual_server_config.servers
}

server := member if {
	method == "prompts/get"
	virtual_server_config.aggregated
	member := routing.prompt_server(name)
	member in virtual_server_config.servers
}

# target_servers are the servers whose grants decide a server method: the one it goes to, or every
# member for completion/complete on an aggregated virtual server.
target_servers contains server if is_server_method

target_servers contains member if {
	method == "completion/complete"
	virtual_server_config.aggregated
	some member in virtual_server_config.servers
}
