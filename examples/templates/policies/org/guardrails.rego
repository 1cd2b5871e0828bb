# Template: a guardrail on the servers that handle personal data (CheckSettings
# governance.piiServers): a tool call whose arguments carry a payment card number is denied, so card
# data never reaches a ticket, whatever the model was asked to write.
package gatehouse.org

import data.gatehouse.request

pii_servers := {"tickets"}

# A run of 13 to 19 digits, optionally grouped by spaces or dashes: a card number's shape.
card_number := `\b[0-9](?:[ -]?[0-9]){12,18}\b`

deny contains "tool arguments carry a payment card number: remove it (guardrail pii-card-number)" if {
	request.method == "tools/call"
	request.server in pii_servers
	walk(input.mcp.arguments, [_, value])
	is_string(value)
	regex.match(card_number, value)
}
