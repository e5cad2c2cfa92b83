"""What every routing staff page shares: the agency scope, role checks, the page furniture."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

NAMESPACE = "routing"


def url(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=args)


def agency_items(queryset, user, field="document__agency_id"):
    """The part of a queryset the user may see: their agency's (the operator sees all)."""
    if user.is_superuser:
        return queryset
    if user.agency_id is None:
        return queryset.none()
    return queryset.filter(**{field: user.agency_id})


class RoutingView(WagtailAdminTemplateMixin, TemplateView):
    """A routing page: for people of an agency holding one of ``roles`` (anyone in it when empty)."""

    roles = ()
    parent = None  # (url name, label) of the page above this one in the breadcrumbs

    def dispatch(self, request, *args, **kwargs):
        if request.user.agency_id is None and not request.user.is_superuser:
            raise Http404
        if self.roles and not request.user.has_role(*self.roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.parent:
            items.append({"url": url(self.parent[0]), "label": self.parent[1]})
        return [*items, {"url": "", "label": self.get_page_title()}]


class AgencyView(RoutingView):
    """A page about the user's own agency (the operator, who belongs to none, has nothing here)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.agency_id is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)
