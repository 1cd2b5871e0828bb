# The OPA-Envoy plugin's entrypoint for the policy benchmark (plugins.envoy_ext_authz_grpc.path =
# gatehouse_bench/envoy/decision). The plugin's input is the OPA-Envoy document; Gatehouse extends it
# with `mcp` and `jwt`, built in TypeScript (xds-server/src/authz/check-input.ts). This wrapper builds
# the same two fields in Rego from what the plugin's input carries (the MCP filter's and jwt_authn's
# metadata, the route's context extensions, the parsed body) and then evaluates Gatehouse's own
# decision rule, unchanged, on the extended input. Not included: check-input.ts refuses a body whose
# JSON-RPC method differs from the one Envoy parsed (HTTP 400) before the policy runs.
package gatehouse_bench.envoy

filter_metadata := object.get(input.attributes, ["metadataContext", "filterMetadata"], {})

mcp_metadata := object.get(filter_metadata, "envoy.filters.http.mcp", {})

metadata_params := object.get(mcp_metadata, "params", {})

context := object.get(input.attributes, "contextExtensions", {})

rpc := input.parsed_body if {
	is_object(input.parsed_body)
} else := {}

params := rpc.params if {
	is_object(rpc.params)
} else := {}

default method := null

method := mcp_metadata.method if {
	is_string(mcp_metadata.method)
} else := rpc.method if {
	is_string(rpc.method)
}

default id := null

id := rpc.id if {
	"id" in object.keys(rpc)
} else := mcp_metadata.id

default name := null

name := metadata_params.name if {
	is_string(metadata_params.name)
} else := params.name if {
	is_string(params.name)
}

default uri := null

uri := metadata_params.uri if {
	is_string(metadata_params.uri)
} else := params.uri if {
	is_string(params.uri)
}

candidates := {
	"virtual_server": object.get(context, "virtual_server", null),
	"gateway": object.get(context, "gateway", null),
	"method": method,
	"id": id,
	"name": name,
	"uri": uri,
	"arguments": object.get(params, "arguments", null),
}

mcp := {key: value | some key, value in candidates; value != null; value != ""}

jwt := {"claims": claims} if {
	claims := filter_metadata["envoy.filters.http.jwt_authn"].jwt_payload
} else := {}

decision := result if {
	result := data.gatehouse.authz.decision with input.mcp as mcp with input.jwt as jwt
}
