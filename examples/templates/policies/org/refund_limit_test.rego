package gatehouse.org_test

import data.gatehouse.org
import data.gatehouse.testdata

finance := testdata.corp_claims(["finance"])

refund(arguments) := testdata.request(finance, {
	"virtual_server": "payments", "method": "tools/call", "id": 1,
	"name": "issue_refund", "arguments": arguments,
})

over_limit := "refunds over 1000 need a second approver: use the finance console"

not_a_number := "refund amount must be a number"

test_refund_over_the_limit_is_denied if {
	deny := org.deny with input as refund({"amount": 1000.5}) with data.registry as testdata.registry
	deny == {over_limit}
}

test_refund_up_to_the_limit_is_not_denied if {
	deny := org.deny with input as refund({"amount": 1000}) with data.registry as testdata.registry
	count(deny) == 0
}

test_refund_amount_that_is_no_number_is_denied if {
	every arguments in [{"amount": "5000"}, {"amount": null}, {}, "5000", false] {
		deny := org.deny with input as refund(arguments) with data.registry as testdata.registry
		deny == {not_a_number}
	}
}

test_refund_without_arguments_is_denied if {
	mcp := {"virtual_server": "payments", "method": "tools/call", "name": "issue_refund"}
	deny := org.deny with input as testdata.request(finance, mcp) with data.registry as testdata.registry
	deny == {not_a_number}
}

test_refund_with_unknown_arguments_is_not_denied if {
	mcp := {"virtual_server": "payments", "method": "tools/call", "name": "issue_refund"}
	deny := org.deny with input as testdata.request(finance, mcp)
		with data.registry as testdata.registry
		with data.gatehouse.request.arguments_known as false
	count(deny) == 0
}

test_other_tools_have_no_refund_limit if {
	mcp := {"virtual_server": "payments", "method": "tools/call", "name": "lookup_payment", "arguments": {"amount": 5000}}
	deny := org.deny with input as testdata.request(finance, mcp) with data.registry as testdata.registry
	count(deny) == 0
}
