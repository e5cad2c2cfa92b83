"""Admin forms for agencies, units and people. Each form knows its user (``for_user``) and
offers only that user's agency; the deployment operator (superuser) chooses the agency."""

from django import forms
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .errors import HosoError
from .models import Agency, Unit, User
from .roles import Role
from .services import generate_username

USERNAME_ERRORS = {
    "invalid_full_name": _("The full name is not valid."),
    "username_taken_need_birth_year": _(
        "The username %(username)s is already taken; enter the birth year to make another one."
    ),
    "username_taken": _("The username %(username)s is also taken; ask the operator to create this account."),
}


def is_operator(user):
    return user is not None and user.is_superuser


class AgencyForm(WagtailAdminModelForm):
    class Meta:
        model = Agency
        fields = ["identifier", "name", "abbreviation", "parent", "address"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_operator(self.for_user):
            # The code, the abbreviation (in usernames and host names) and the hierarchy are the operator's.
            for name in ("identifier", "abbreviation", "parent"):
                self.fields[name].disabled = True
        if self.instance.pk:
            self.fields["parent"].queryset = Agency.objects.exclude(pk=self.instance.pk)


class UnitForm(WagtailAdminModelForm):
    class Meta:
        model = Unit
        fields = ["agency", "name", "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_operator(self.for_user):
            del self.fields["agency"]
            if self.instance.agency_id is None:
                self.instance.agency = self.for_user.agency

    def clean(self):
        cleaned = super().clean()
        if self.instance.agency_id is None and "agency" not in self.fields:
            raise forms.ValidationError(_("Your account belongs to no agency."))
        # Without the agency field Django skips the (agency, name) constraint; check it here.
        name = cleaned.get("name")
        if "agency" not in self.fields and name:
            clash = Unit.objects.filter(agency_id=self.instance.agency_id, name=name).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", _("The agency already has a unit with this name."))
        return cleaned


class PersonForm(WagtailAdminModelForm):
    """A person's details, agency, unit and roles (the groups named by role code)."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    password1 = forms.CharField(
        label=_("Password"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Enter the same password as above, for verification."),
    )

    class Meta:
        model = User
        fields = ["full_name", "birth_year", "position", "email", "agency", "unit"]

    def __init__(self, *args, editing_self=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        if is_operator(self.for_user):
            self.fields["unit"].queryset = Unit.objects.select_related("agency")
            self.fields["unit"].label_from_instance = lambda unit: f"{unit} — {unit.agency}"
        else:
            del self.fields["agency"]
            self.fields["unit"].queryset = Unit.objects.filter(agency_id=self.for_user.agency_id)
        if self.instance.pk:
            self.initial.setdefault("roles", sorted(self.instance.role_codes))

    @property
    def agency(self):
        if "agency" in self.fields:
            return self.cleaned_data.get("agency")
        return self.instance.agency if self.instance.agency_id else self.for_user.agency

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        if unit is not None and unit.agency_id != getattr(self.agency, "pk", None):
            self.add_error("unit", _("The unit is not in this agency."))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 != password2:
            self.add_error("password2", _("The two password fields didn't match."))
        elif password1:
            try:
                validate_password(password1, user=self.instance)
            except forms.ValidationError as error:
                self.add_error("password2", error)
        return cleaned


class UserCreateForm(PersonForm):
    """Staff never type usernames: the Sơn La rule makes one from the full name and agency."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].required = self.fields["password2"].required = True
        if "agency" in self.fields:
            self.fields["agency"].required = True
        self.fields["full_name"].help_text = _(
            "The username is made from the full name and the agency (e.g. hadtt.ubnd); "
            "the birth year is added when that name is taken."
        )

    def clean(self):
        cleaned = super().clean()
        if self.agency is None:
            if "agency" not in self.fields:
                raise forms.ValidationError(_("Your account belongs to no agency."))
            return cleaned
        if cleaned.get("full_name"):
            try:
                self.username = generate_username(cleaned["full_name"], self.agency, cleaned.get("birth_year"))
            except HosoError as error:
                field = "birth_year" if error.code == "username_taken_need_birth_year" else "full_name"
                message = USERNAME_ERRORS.get(error.code)
                self.add_error(field, message % (error.detail or {}) if message else error.message)
        return cleaned


class UserEditForm(PersonForm):
    class Meta(PersonForm.Meta):
        fields = ["username", *PersonForm.Meta.fields, "is_active"]

    def __init__(self, *args, editing_self=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].disabled = True
        self.fields["username"].help_text = ""
        self.fields["password1"].help_text = _("Leave blank if not changing.")
        if editing_self:
            del self.fields["is_active"]

    def save(self, commit=True):
        user = super().save(commit=False)
        if password := self.cleaned_data.get("password1"):
            user.set_password(password)
        user.save()
        other_groups = list(user.groups.exclude(name__in=Role.values))
        user.groups.set([*other_groups, *Group.objects.filter(name__in=self.cleaned_data.get("roles", []))])
        return user
