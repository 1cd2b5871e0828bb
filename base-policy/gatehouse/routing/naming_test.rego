package gatehouse.routing_test

import data.gatehouse.routing
import data.gatehouse.testdata

portal := testdata.registry.virtual_servers.portal

wiki := testdata.registry.virtual_servers.wiki

test_aggregated_virtual_server_prefixes_tool_names if {
	routing.public_tool_name(portal, "crm", "find_customer") == "crm__find_customer"
}

test_single_virtual_server_keeps_tool_names if {
	routing.public_tool_name(wiki, "wiki", "read_page") == "read_page"
}

test_offers_a_tool_of_a_member if {
	routing.offers(portal, "crm", "find_customer")
	routing.offers(wiki, "wiki", "purge_page")
}

test_does_not_offer_a_tool_it_leaves_out if {
	not routing.offers(portal, "wiki", "purge_page")
}

test_does_not_offer_a_public_name_mapped_elsewhere if {
	remapped := {"aggregated": false, "servers": ["wiki"], "tools": {"read_page": {"server": "wiki", "tool": "edit_page"}}}
	not routing.offers(remapped, "wiki", "read_page")
}

test_prompt_server_is_the_prefix_before_the_first_double_underscore if {
	routing.prompt_server("crm__onboarding__v2") == "crm"
}

test_prompt_server_needs_a_prefix if {
	not routing.prompt_server("onboarding")
	not routing.prompt_server("__onboarding")
}

test_resource_server_is_the_prefix_before_the_plus if {
	routing.resource_server("crm+file:///customers/7") == "crm"
}

test_resource_server_needs_a_prefix if {
	not routing.resource_server("file:///customers/7")
	not routing.resource_server("+file:///customers/7")
}
