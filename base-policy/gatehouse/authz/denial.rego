package gatehouse.authz

import data.gatehouse.request
import data.gatehouse.subject

# denial says why a request that is not allowed is refused: the first failing check, from who is
# asking to what they ask. Undefined when the request is allowed.
denial := refusal(401, -32001, "authentication required: no valid token from a known identity provider") if {
	not subject.authenticated
} else := refusal(404, -32004, unknown_virtual_server) if {
	not request.virtual_server_config
} else := refusal(403, -32003, subject.lacks(concat("", ["access to virtual server ", request.virtual_server]))) if {
	not may_use_virtual_server
} else := forbidden if {
	not allowed
}

unknown_virtual_server := "the request names no virtual server" if {
	request.virtual_server == ""
} else := concat("", ["virtual server ", request.virtual_server, " does not exist"])

refusal(status, code, message) := {"status": status, "code": code, "message": message, "reasons": [message]}

# forbidden refuses a request that the subject's grants do not cover or an organisation rule denies,
# with every reason found.
forbidden := {
	"status": 403,
	"code": -32003,
	"message": concat("; ", reasons),
	"reasons": reasons,
} if {
	reasons := sort(method_refusals | org_denials)
}

method_refusals contains method_refusal if count(permits) == 0
