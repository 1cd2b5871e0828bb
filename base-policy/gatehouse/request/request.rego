# Package request is the MCP request under decision, normalised from input.mcp: its JSON-RPC
# method, the virtual server it was sent to, the names it carries and the server it targets.
package gatehouse.request

# method is the JSON-RPC method; "" when the request carries none (an SSE GET, a session DELETE).
default method := ""

method := input.mcp.method if is_string(input.mcp.method)

# virtual_server is the name of the virtual server the request was sent to; "" when missing.
default virtual_server := ""

virtual_server := input.mcp.virtual_server if is_string(input.mcp.virtual_server)

# virtual_server_config is the virtual server's registry entry; undefined when it is unknown.
virtual_server_config := data.registry.virtual_servers[virtual_server]

# id is the JSON-RPC id, echoed in error responses; null for notifications.
default id := null

id := input.mcp.id

# arguments_known is true for a request under decision: a missing input.mcp.arguments means the
# client sent none or its body was truncated. gatehouse/access/tools sets it to false when it asks
# whether a tool may be called at all. Organisation rules that deny by arguments check it, so that
# they still deny missing arguments on a call without hiding the tool from the access list.
arguments_known := true
