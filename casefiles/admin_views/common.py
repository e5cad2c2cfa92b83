"""What the file-plan and case-file pages share.

Wagtail's generic views, scoped to the user's agency (accounts.views), list, create and show the
objects; every change is an action posted from an object's page and handed to casefiles.plans or
casefiles.filing, whose HosoError comes back as an error of the action's form.
"""

import io

from django.core.exceptions import PermissionDenied
from django.forms import Media
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from accounts.errors import HosoError
from accounts.roles import Role
from accounts.views import AgencyScopedViewSet, ScopedCreateView, add_service_error, agency_scope

# Leaders and archivists (and the agency's administrator) oversee all the agency's case files.
OVERSIGHT_ROLES = (Role.LEADER, Role.ARCHIVIST, Role.ADMIN)
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def oversees_agency(user):
    return user.has_role(*OVERSIGHT_ROLES)


def field_label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def file_response(data, filename, content_type, *, inline=False):
    """Bytes, or an open binary file, as a download (inline: shown by the browser)."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    return FileResponse(source, as_attachment=not inline, filename=filename, content_type=content_type)


class ServiceViewSet(AgencyScopedViewSet):
    """Only the index, create and inspect views of Wagtail's model viewset: an object changes through
    the actions of its page."""

    GENERIC_VIEWS = {"index", "index_results", "add", "inspect"}
    add_to_settings_menu = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(edit_url_name=None, delete_url_name=None, history_url_name=None,
                                              usage_url_name=None, **kwargs)

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(inspect_url_name=self.get_url_name("inspect"), **kwargs)

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in self.GENERIC_VIEWS]

    def register_admin_url_finder(self):
        """There is no edit view for Wagtail's URL finder to point at."""


class ServiceCreateView(ScopedCreateView):
    """Creates through a service (save_instance), then shows the new object's page. Its title names the
    action, on the button too."""

    inspect_url_name = None

    @property
    def submit_button_label(self):
        return self.page_title

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items()[:-1], {"url": "", "label": self.get_page_title()}]

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=(self.object.pk,))

    def get_success_buttons(self):
        return []


class ActionsMixin:
    """An object page whose forms post named actions: the form of ``action_forms[name]`` is checked,
    then ``do_<name>(form)`` calls the service and returns the message to show. A HosoError becomes an
    error of the form, shown again on the page; success redirects back to the page (or redirect_to)."""

    action_forms = {}
    redirect_to = None
    failed = (None, None)  # the action whose form came back with errors, and that form

    def action_allowed(self, name):
        return True

    def action_form(self, name, data=None, files=None):
        return self.action_forms[name](data, files, obj=self.object, user=self.request.user, prefix=name)

    def post(self, request, *args, **kwargs):
        name = request.POST.get("action")
        if name not in self.action_forms or not self.action_allowed(name):
            raise PermissionDenied
        form = self.action_form(name, request.POST, request.FILES)
        if form.is_valid():
            try:
                message = getattr(self, f"do_{name}")(form)
            except HosoError as error:
                add_service_error(form, error)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(self.redirect_to or request.path)
        errors = [*form.non_field_errors(), *(error for field in form.hidden_fields() for error in field.errors)]
        messages.error(request, " ".join(errors) or _("Please correct the errors below."))
        self.failed = (name, form)
        return self.get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        failed_name, failed_form = self.failed
        forms = {name: failed_form if name == failed_name else self.action_form(name)
                 for name in self.action_forms if self.action_allowed(name)}
        context.update(forms=forms, failed_action=failed_name,
                       media=sum((form.media for form in forms.values()), Media()))
        return context


class ObjectDownloadView(PermissionCheckedMixin, View):
    """A file made from one object of the user's agency by ``make(obj)`` (a response)."""

    model = None
    make = None
    any_permission_required = ["add", "change", "delete", "view"]

    def get(self, request, pk):
        return self.make(get_object_or_404(agency_scope(self.model.objects.all(), request.user), pk=pk))
