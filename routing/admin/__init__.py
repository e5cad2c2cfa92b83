"""The routing staff pages in the Wagtail admin (menu “Văn bản đến/đi”): my work, the incoming and
outgoing lists and item pages with their actions, the leader's dashboard, delegations, registers and
handling reports, and signing keys. Views stay thin: every change goes through routing's services.
The menu and URLs are registered in routing.wagtail_hooks."""
