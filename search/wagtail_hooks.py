"""The staff search page in the Wagtail admin."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import SearchView


class SearchMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or (
            request.user.agency_id is not None
            and (request.user.has_perm("casefiles.view_document") or request.user.has_perm("casefiles.view_casefile")))


@hooks.register("register_admin_urls")
def register_search_urls():
    urls = [path("", SearchView.as_view(), name="index")]
    return [path("records-search/", include((urls, "search_admin"), namespace="search_admin"))]


@hooks.register("register_admin_menu_item")
def register_search_menu():
    return SearchMenuItem(_("Records search"), reverse_lazy("search_admin:index"), name="records-search",
                          icon_name="search", order=120)
