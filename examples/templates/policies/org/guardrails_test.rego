package gatehouse.org_test

import data.gatehouse.org
import data.gatehouse.testdata

ops := testdata.corp_claims(["ops"])

find_customer(arguments) := testdata.request(ops, {
	"virtual_server": "portal", "method": "tools/call", "id": 1,
	"name": "crm__find_customer", "arguments": arguments,
})

card_denial := "tool arguments carry a payment card number: remove it (guardrail pii-card-number)"

test_card_number_in_a_pii_server_call_is_denied if {
	every arguments in [{"note": "card 4111 1111 1111 1111"}, {"items": [{"text": "4111-1111-1111-1111"}]}] {
		deny := org.deny with input as find_customer(arguments)
			with data.registry as testdata.registry
			with org.pii_servers as {"crm"}
		deny == {card_denial}
	}
}

test_arguments_without_a_card_number_pass if {
	deny := org.deny with input as find_customer({"note": "order 1234, call back at 10"})
		with data.registry as testdata.registry
		with org.pii_servers as {"crm"}
	count(deny) == 0
}

test_servers_without_personal_data_are_not_checked if {
	deny := org.deny with input as find_customer({"note": "4111 1111 1111 1111"})
		with data.registry as testdata.registry
		with org.pii_servers as {"tickets"}
	count(deny) == 0
}
