package gatehouse.request

# discovery_methods are the lifecycle and listing methods that any subject with access to the
# virtual server may send. "__jsonrpc_response" is Envoy's name for a client's answer to a request
# from the server (elicitation, sampling, roots).
discovery_methods := {
	"__jsonrpc_response",
	"initialize",
	"logging/setLevel",
	"ping",
	"prompts/list",
	"resources/list",
	"resources/templates/list",
	"tools/list",
}

is_discovery if method in discovery_methods

is_discovery if startswith(method, "notifications/")

is_discovery if is_session_request

# server_methods are granted for a whole server, where tools/call is granted per tool.
server_methods := {
	"completion/complete",
	"prompts/get",
	"resources/read",
	"resources/subscribe",
	"resources/unsubscribe",
}

# resource_methods name a resource by params.uri.
resource_methods := {"resources/read", "resources/subscribe", "resources/unsubscribe"}

is_server_method if method in server_methods

# is_session_request holds for the streamable HTTP requests that carry no JSON-RPC method: the GET
# that opens a server-sent event stream and the DELETE that ends an MCP session. They are allowed
# like discovery methods; every call made over the stream or session is still decided on its own.
is_session_request if {
	method == ""
	input.attributes.request.http.method in {"GET", "DELETE"}
}
