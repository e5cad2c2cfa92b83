"""Forms of the routing staff pages: state actions, delegations, signing keys, report periods and list
filters. Every choice of a person or a case file is limited to the agency the form is made for.

The action forms name their fields as the API's action inputs do (routing.api), so both run the state
machines through the same table of calls."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from accounts.roles import Role
from casefiles.models import CaseFile

from . import reports
from .models import Delegation, Register


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name} — {user.position}" if user.position else user.full_name


class PeopleChoice(forms.ModelMultipleChoiceField):
    label_from_instance = PersonChoice.label_from_instance


class AgencyForm(forms.Form):
    """Its person fields offer the agency's active people (holding one of ``roles[name]`` when given),
    its case-file fields the agency's open case files."""

    roles: dict = {}

    def __init__(self, *args, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id = agency_id
        for name, field in self.fields.items():
            if isinstance(field, (PersonChoice, PeopleChoice)):
                field.queryset = people(agency_id, *self.roles.get(name, ()))
            elif isinstance(field, forms.ModelChoiceField) and field.queryset.model is CaseFile:
                field.queryset = CaseFile.objects.filter(agency_id=agency_id, status=CaseFile.Status.OPEN)


def people(agency_id, *roles):
    users = get_user_model().objects.filter(agency_id=agency_id, is_active=True)
    if roles:
        users = users.filter(groups__name__in=[str(r) for r in roles]).distinct()
    return users.order_by("full_name")


def case_file_choice(required):
    return forms.ModelChoiceField(CaseFile.objects.none(), label=_("Case file"), required=required,
                                  help_text=_("An open case file of the agency."))


def textarea(label, required=True):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}))


# --- State actions --------------------------------------------------------------------------------


class EmptyForm(AgencyForm):
    pass


class RegisterForm(AgencyForm):
    accept_duplicate = forms.BooleanField(label=_("Register although it may be a duplicate"), required=False)


class ReasonForm(AgencyForm):
    reason = textarea(_("Reason"))


class PresentForm(AgencyForm):
    roles = {"leader": (Role.LEADER, Role.UNIT_HEAD)}
    leader = PersonChoice(None, label=_("Leader"))
    comment = textarea(_("Comment"), required=False)


class AssignForm(AgencyForm):
    lead = PersonChoice(None, label=_("Lead handler"))
    co_handlers = PeopleChoice(None, label=_("Co-handlers"), required=False,
                               widget=forms.SelectMultiple(attrs={"size": 6}))
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=AdminDateInput)
    instruction = textarea(_("Instruction"), required=False)


class TextForm(AgencyForm):
    text = textarea(_("Comment"))


class CommentForm(AgencyForm):
    comment = textarea(_("Comment"), required=False)


class ResultForm(AgencyForm):
    comment = textarea(_("Result of the handling"), required=False)


class FileForm(AgencyForm):
    case_file = case_file_choice(required=True)


class ConsultForm(AgencyForm):
    people = PeopleChoice(None, label=_("People asked for comments"), widget=forms.SelectMultiple(attrs={"size": 6}))
    comment = textarea(_("Note"), required=False)


class SubmitForm(AgencyForm):
    roles = {"unit_head": (Role.UNIT_HEAD, Role.LEADER)}
    unit_head = PersonChoice(None, label=_("Unit head"))
    comment = textarea(_("Note"), required=False)


class InitialForm(AgencyForm):
    roles = {"signer": (Role.LEADER,)}
    signer = PersonChoice(None, label=_("Leader who signs"))
    comment = textarea(_("Note"), required=False)


class IssueForm(AgencyForm):
    case_file = case_file_choice(required=False)


# --- Lists, reports --------------------------------------------------------------------------------

DUE_CHOICES = [("", _("Any deadline")), ("near", _("Near the deadline")), ("overdue", _("Overdue"))]


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Number, notation or subject"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    due = forms.ChoiceField(label=_("Deadline"), required=False, choices=DUE_CHOICES)

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Any state")), *model.State.choices]


class PeriodForm(forms.Form):
    """?from=&to= (empty: the whole year) and ?as= for a download."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=AdminDateInput)
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=AdminDateInput)
        self.fields["as"] = forms.ChoiceField(required=False, choices=[(f, f) for f in ("", *reports.FORMATS)],
                                              widget=forms.HiddenInput)


class HandlingReportForm(PeriodForm):
    kind = forms.ChoiceField(label=_("Documents"), choices=[
        ("incoming", Register.Kind.INCOMING.label), ("outgoing", Register.Kind.OUTGOING.label)])


# --- Delegations, signing keys --------------------------------------------------------------------


class DelegationForm(forms.ModelForm):
    delegate = PersonChoice(None, label=_("Delegate"))

    class Meta:
        model = Delegation
        fields = ["delegate", "starts_on", "ends_on", "note"]
        widgets = {"starts_on": AdminDateInput, "ends_on": AdminDateInput}

    def __init__(self, *args, leader, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agency_id, self.instance.leader = leader.agency_id, leader
        self.fields["delegate"].queryset = people(leader.agency_id).exclude(pk=leader.pk)
        self.fields["starts_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The delegation must end on or after its first day."))
        return cleaned


class SigningKeyForm(AgencyForm):
    p12 = forms.FileField(label=_("PKCS#12 file (.p12, .pfx)"))
    password = forms.CharField(label=_("Password of the PKCS#12 file"), required=False, strip=False,
                               widget=forms.PasswordInput(render_value=False))
    user = PersonChoice(None, label=_("Person"), required=False,
                        help_text=_("Leave empty to install the agency's own key (its seal)."))
    image = forms.FileField(label=_("Signature or seal image"), required=False,
                            help_text=_("PNG with a transparent background."))

