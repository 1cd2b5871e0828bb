package gatehouse.subject

# grant_entries are the grant entries ({grant, server, tools, methods}) of all the principals.
grant_entries contains entry if {
	some principal in principals
	some entry in data.registry.grants_by_subject[principal]
}
