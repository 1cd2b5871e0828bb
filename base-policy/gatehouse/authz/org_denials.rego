package gatehouse.authz

# org_denials are the messages of the organisation rules (data.gatehouse.org.deny) that deny the
# request. A message that is not a string is reported as JSON, and a `deny` that is not a set
# denies every request, so that a mistake in an organisation rule fails closed.
org_denials contains as_text(message) if some message in data.gatehouse.org.deny

org_denials contains "organisation rules: data.gatehouse.org.deny must be a set of messages" if {
	deny := data.gatehouse.org.deny
	not is_set(deny)
}

as_text(message) := message if is_string(message)

as_text(message) := json.marshal(message) if not is_string(message)
