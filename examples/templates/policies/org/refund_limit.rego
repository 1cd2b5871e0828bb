# Package org holds the organisation's own rules: each message in `deny` denies the request (HTTP
# 403), on top of the grants of the registry.
package gatehouse.org

import data.gatehouse.request

# Refunds above refund_limit need a second approver, which the finance console asks for.
refund_limit := 1000

refund_call if {
	request.method == "tools/call"
	request.server == "payments"
	request.tool == "issue_refund"
}

deny contains message if {
	refund_call
	is_number(input.mcp.arguments.amount)
	input.mcp.arguments.amount > refund_limit
	limit := format_int(refund_limit, 10)
	message := concat("", ["refunds over ", limit, " need a second approver: use the finance console"])
}

# A refund without an amount would refund the whole payment. Only when the arguments are known, so
# that gatehouse/access/tools still lists the tool.
deny contains "refund amount must be a number" if {
	refund_call
	request.arguments_known
	not refund_amount_is_number
}

# A negated rule, not `not is_number(input.mcp.arguments.amount)`: OPA fails that expression, rather
# than negating it, when the amount is missing.
refund_amount_is_number if is_number(input.mcp.arguments.amount)
