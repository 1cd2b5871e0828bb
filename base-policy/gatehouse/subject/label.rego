package gatehouse.subject

# lacks says, for denial messages, that the subject has no `thing`, naming the subject by its teams
# when it has any (grants usually go to teams), else by its sub.
lacks(thing) := concat("", ["teams ", concat(", ", sort(teams)), " have no ", thing]) if count(teams) > 1

lacks(thing) := concat("", ["team ", team, " has no ", thing]) if {
	count(teams) == 1
	some team in teams
}

lacks(thing) := concat("", ["subject ", id, " has no ", thing]) if {
	count(teams) == 0
	id != ""
}

lacks(thing) := concat("", ["the subject has no ", thing]) if {
	count(teams) == 0
	id == ""
}
