# Package access lists the tools a subject may call, in one evaluation per subject: the access
# matrix, the pull-request access diff and per-caller tools/list filtering read it.
package gatehouse.access

import data.gatehouse.routing
import data.gatehouse.subject

# METADATA
# title: tools
# description: >-
#   The tools the subject of input.jwt.claims may call with tools/call, per virtual server (public
#   names) and per server (bare names). Empty maps when unauthenticated.
# entrypoint: true
tools := {
	"principals": sort(subject.principals),
	"teams": sort(subject.teams),
	"virtual_servers": {virtual_server: sort(names) | some virtual_server, names in callable_by_virtual_server},
	"servers": {server: sort(tools) | some server, tools in callable_by_server},
}

callable_by_virtual_server[virtual_server] contains name if some [virtual_server, name, _, _] in callable

callable_by_server[server] contains tool if some [_, _, server, tool] in callable

# granted are the tools the subject's grants let it call, as
# [virtual server, public tool name, server, tool], in every virtual server that offers them.
granted contains [virtual_server, routing.public_tool_name(config, entry.server, tool), entry.server, tool] if {
	some entry in subject.grant_entries
	"tools/call" in entry.methods
	some virtual_server, config in data.registry.virtual_servers
	entry.server in config.servers
	some tool in entry.tools
	routing.offers(config, entry.server, tool)
}

# callable are the granted tools that no organisation rule denies for a call without arguments.
callable contains call if {
	some call in granted
	[virtual_server, name, _, _] := call
	not org_denies_call(virtual_server, name)
}

# org_denies_call evaluates the organisation rules for a tools/call of a granted tool, with unknown
# arguments: rules on arguments do not fire, rules on the subject, server or tool do.
org_denies_call(virtual_server, name) if {
	call := {"virtual_server": virtual_server, "method": "tools/call", "name": name}

	# Replaying the rules on a synthetic request is the point here, and it runs per granted tool
	# only, so Regal's performance advice against `with` outside tests does not apply.
	# regal ignore:with-outside-test-context
	count(data.gatehouse.org.deny) > 0 with input.mcp as call with data.gatehouse.request.arguments_known as false
}
