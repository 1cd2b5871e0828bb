# Package routing holds how Envoy's mcp_router names what an aggregated virtual server offers:
# tools and prompts as "<server>__<name>" (split at the first "__"), resource URIs as
# "<server>+<uri>". A virtual server with one member passes names through unchanged.
package gatehouse.routing

# public_tool_name is the name under which virtual_server offers tool of its member server.
public_tool_name(virtual_server, server, tool) := concat("__", [server, tool]) if virtual_server.aggregated

public_tool_name(virtual_server, _, tool) := tool if not virtual_server.aggregated

# offers holds when virtual_server offers tool of server to its clients.
offers(virtual_server, server, tool) if {
	offered := virtual_server.tools[public_tool_name(virtual_server, server, tool)]
	offered == {"server": server, "tool": tool}
}

# prompt_server is the server prefix of a prompt name in an aggregated virtual server.
prompt_server(name) := substring(name, 0, end) if {
	end := indexof(name, "__")
	end > 0
}

# resource_server is the server prefix of a resource URI in an aggregated virtual server.
resource_server(uri) := substring(uri, 0, end) if {
	end := indexof(uri, "+")
	end > 0
}
