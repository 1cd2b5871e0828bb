# Package authz decides one MCP request for Envoy's ext_authz: allow or deny, with reasons, an HTTP
# status and, on deny, a JSON-RPC error body the MCP client can read.
package gatehouse.authz

import data.gatehouse.request
import data.gatehouse.subject

# METADATA
# title: decision
# description: >-
#   The ext_authz decision for one MCP request, in the OPA-Envoy shape (allowed, http_status,
#   headers, body, dynamic_metadata) plus reasons. Deny by default.
# entrypoint: true
decision := {
	"allowed": true,
	"http_status": 200,
	"headers": {},
	"body": "",
	"reasons": sort(permits),
	"dynamic_metadata": object.union(log_fields, {"decision": "allow", "reasons": sort(permits)}),
} if {
	allowed
} else := {
	"allowed": false,
	"http_status": denial.status,
	"headers": {"content-type": "application/json"},
	"body": error_body,
	"reasons": denial.reasons,
	"dynamic_metadata": object.union(log_fields, {"decision": "deny", "reasons": denial.reasons}),
}

# allowed holds when a grant or rule permits the request and no organisation rule denies it.
allowed if {
	count(permits) > 0
	count(org_denials) == 0
}

# error_body is the JSON-RPC 2.0 error response the client receives on deny. It is assembled from
# marshalled values rather than marshalled as one object: OPA sorts object keys while the Wasm build
# keeps them in insertion order, and the body must be the same bytes in both.
error_body := concat("", [
	`{"jsonrpc":"2.0","id":`, json.marshal(request.id),
	`,"error":{"code":`, json.marshal(denial.code),
	`,"message":`, json.marshal(denial.message),
	`,"data":{"reasons":`, json.marshal(denial.reasons), `}}}`,
])

# log_fields are what the access log records about every request (Envoy dynamic metadata).
log_fields := {
	"subject": subject.id,
	"teams": sort(subject.teams),
	"team": attributed_team,
	"virtual_server": request.virtual_server,
	"server": target_server,
	"tool": target_tool,
}

default target_server := ""

target_server := request.server

default target_tool := ""

target_tool := request.tool
