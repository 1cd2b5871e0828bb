# Tests of the organisation rules; run them with `npx gatehouse test`. data.gatehouse.testdata is a
# small registry and input builders that ship with Gatehouse (its server wiki is owned by team ops).
package gatehouse.org_test

import data.gatehouse.org
import data.gatehouse.testdata

test_a_high_risk_tool_is_denied_outside_the_owner_team if {
	deny := org.deny with input as testdata.tools_call(testdata.corp_claims(["finance"]), "wiki", "purge_page")
		with data.registry as testdata.registry
	deny == {"tool purge_page is high risk: only team ops may call it"}
}

test_the_owner_team_may_call_a_high_risk_tool if {
	deny := org.deny with input as testdata.tools_call(testdata.corp_claims(["ops"]), "wiki", "purge_page")
		with data.registry as testdata.registry
	count(deny) == 0
}

test_a_low_risk_tool_is_not_checked if {
	deny := org.deny with input as testdata.tools_call(testdata.corp_claims(["finance"]), "wiki", "read_page")
		with data.registry as testdata.registry
	count(deny) == 0
}
