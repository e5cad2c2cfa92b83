"""Staff views in the Wagtail admin: agencies, units and people, each scoped to the user's agency.

Wagtail's generic views read objects through a handful of methods; the
mixins below narrow every one of them to the user's agency (the deployment
operator, a superuser without agency, sees all), so another agency's objects
are neither listed nor reachable by URL (404). Changes are recorded in hoso's
audit trail instead of Wagtail's log.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.views import users as wagtail_users

from . import audit, services
from .errors import HosoError
from .forms import AgencyForm, UnitForm, UserCreateForm, UserEditForm
from .models import Agency, Unit


def agency_scope(queryset, user):
    """The part of a queryset of agencies, or of objects with an agency, that the user may see."""
    if user.is_superuser:
        return queryset
    if user.agency_id is None:
        return queryset.none()
    lookup = "pk" if queryset.model is Agency else "agency_id"
    return queryset.filter(**{lookup: user.agency_id})


def in_agency_scope(obj, user):
    if user.is_superuser:
        return True
    agency_id = obj.pk if isinstance(obj, Agency) else obj.agency_id
    return user.agency_id is not None and agency_id == user.agency_id


def add_service_error(form, error: HosoError):
    """Show a domain error on the form: on its fields when the error names them."""
    detail = error.detail if isinstance(error.detail, dict) else {}
    fields = {name: messages_ for name, messages_ in detail.items() if name in form.fields}
    for name, field_messages in fields.items():
        form.add_error(name, field_messages)
    if not fields:
        form.add_error(None, error.message)


class AgencyScopedMixin:
    """For Wagtail's generic model views: read only the user's agency's objects; others answer 404."""

    def get_base_queryset(self):  # index and its results
        return agency_scope(super().get_base_queryset(), self.request.user)

    def get_base_object_queryset(self):  # history, usage
        return agency_scope(super().get_base_object_queryset(), self.request.user)

    def get_object(self, *args, **kwargs):  # edit, delete, inspect, copy
        obj = super().get_object(*args, **kwargs)
        if not in_agency_scope(obj, self.request.user):
            raise Http404
        return obj


class ServiceErrorsMixin:
    """Create and edit views: a HosoError raised while saving becomes a form error."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except HosoError as error:
            add_service_error(form, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class AuditedCreateMixin:
    def save_instance(self):
        instance = self.form.save()
        audit.record(audit.CREATE, instance, request=self.request)
        return instance


class AuditedEditMixin:
    def save_instance(self):
        instance = self.form.save()
        audit.record(audit.UPDATE, instance, request=self.request, detail={"fields": self.form.changed_data})
        return instance


class AuditedDeleteMixin:
    def delete_action(self):
        with transaction.atomic():
            audit.record(audit.DELETE, self.object, request=self.request)
            self.object.delete()

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except (ProtectedError, HosoError) as error:
            message = getattr(error, "message", None) or _("'%(object)s' is still in use and cannot be deleted.") % {
                "object": self.object}
            messages.error(self.request, message)
            return redirect(self.get_success_url())


class ScopedIndexView(AgencyScopedMixin, generic.IndexView):
    pass


class ScopedCreateView(ServiceErrorsMixin, AuditedCreateMixin, generic.CreateView):
    pass


class ScopedEditView(AgencyScopedMixin, ServiceErrorsMixin, AuditedEditMixin, generic.EditView):
    pass


class ScopedDeleteView(AgencyScopedMixin, AuditedDeleteMixin, generic.DeleteView):
    pass


class ScopedInspectView(AgencyScopedMixin, generic.InspectView):
    pass


class ScopedHistoryView(AgencyScopedMixin, history.HistoryView):
    pass


class ScopedUsageView(AgencyScopedMixin, usage.UsageView):
    pass


class AgencyScopedViewSet(ModelViewSet):
    """A model viewset whose every view is limited to the user's agency."""

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
    inspect_view_enabled = True
    add_to_reference_index = False
    add_to_settings_menu = True


class AgencyViewSet(AgencyScopedViewSet):
    model = Agency
    icon = "site"
    menu_order = 580
    list_display = ["name", "identifier", "abbreviation", "parent"]
    search_fields = ["name", "identifier", "abbreviation"]
    inspect_view_fields = ["identifier", "name", "abbreviation", "parent", "address"]

    def get_form_class(self, for_update=False):
        return AgencyForm


class UnitViewSet(AgencyScopedViewSet):
    model = Unit
    icon = "group"
    menu_order = 590
    list_display = ["name", "code", "agency"]
    search_fields = ["name", "code"]
    inspect_view_fields = ["agency", "name", "code"]

    def get_form_class(self, for_update=False):
        return UnitForm


# --- Users: Wagtail's users app, with hoso's forms (see accounts.wagtail_users) --------


class UserIndexView(AgencyScopedMixin, wagtail_users.IndexView):
    search_fields = ["username", "full_name", "email", "position"]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("unit")

    @cached_property
    def columns(self):
        columns = super().columns
        columns.insert(3, Column("unit", label=_("Unit"), sort_key="unit__name", width="20%"))
        return columns

    def order_queryset(self, queryset):
        if self.ordering in ("name", "-name"):
            return queryset.order_by(self.ordering.replace("name", "full_name"), "username")
        return super().order_queryset(queryset)


class UserCreateView(ServiceErrorsMixin, wagtail_users.CreateView):
    success_message = _("User '%(object)s' created with username %(username)s.")

    def save_instance(self):
        """A regulation username and the creator's agency, through accounts.services."""
        data = self.form.cleaned_data
        return services.create_person(
            full_name=data["full_name"], agency=self.form.agency, unit=data.get("unit"),
            roles=data.get("roles", ()), birth_year=data.get("birth_year"), position=data.get("position", ""),
            email=data.get("email", ""), password=data.get("password1") or None, actor=self.request.user,
            client_address=audit.request_address(self.request),
        )

    def get_success_message(self, instance):
        return self.success_message % {"object": instance, "username": instance.username}


class UserEditView(AgencyScopedMixin, ServiceErrorsMixin, wagtail_users.EditView):
    def save_instance(self):
        user = self.form.save()
        password_changed = bool(self.form.cleaned_data.get("password1"))
        if password_changed and user == self.request.user:
            update_session_auth_hash(self.request, user)
        fields = [name for name in self.form.changed_data if name not in ("password1", "password2")]
        audit.record(audit.UPDATE, user, request=self.request,
                     detail={"fields": fields, "password_changed": password_changed})
        return user


class UserDeleteView(AgencyScopedMixin, AuditedDeleteMixin, wagtail_users.DeleteView):
    pass


class UserHistoryView(AgencyScopedMixin, wagtail_users.HistoryView):
    pass


class UserViewSet(wagtail_users.UserViewSet):
    index_view_class = UserIndexView
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView
    history_view_class = UserHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
    template_prefix = ""  # the generic form templates show every field of hoso's forms

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreateForm
