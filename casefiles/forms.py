"""Admin forms for document records, file plans and case files. They only collect and check input: the
views hand it to casefiles.services, plans and filing, which decide and keep the audit trail."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from accounts.models import Agency, Unit
from retention.models import RetentionKind

from .models import CaseFile, Document, DocumentFile, FilePlan, PlanHeading, PlanItem
from .services import DOCUMENT_FIELDS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        # Each file is checked as a single upload (required, validators), in turn.
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def check_size(upload):
    if upload is not None and upload.size > settings.HOSO_MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("%(name)s is larger than the %(limit)s allowed."),
            params={"name": upload.name, "limit": filesizeformat(settings.HOSO_MAX_UPLOAD_BYTES)},
        )


class DocumentForm(WagtailAdminModelForm):
    """The Appendix VI metadata of a document."""

    class Meta:
        model = Document
        fields = [
            "kind", "type_name", "code_number", "code_notation", "issued_date", "organ_name", "subject",
            "unit", "priority", "due_date", "signer_position", "signer_full_name", "language", "page_amount",
            "arrival_date", "arrival_number", "to_places", "issued_amount", "description",
        ]
        widgets = {
            "subject": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "to_places": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.select_related("agency")
        if self.instance.agency_id:
            units = units.filter(agency_id=self.instance.agency_id)
        elif self.for_user.is_superuser:  # a new document of the agency the operator picks
            self.fields["unit"].label_from_instance = lambda unit: f"{unit} — {unit.agency}"
        else:
            units = units.filter(agency_id=self.for_user.agency_id)
        self.fields["unit"].queryset = units

    def metadata(self):
        """The cleaned metadata, as keyword arguments of services.create_document / update_document."""
        return {name: value for name, value in self.cleaned_data.items() if name in DOCUMENT_FIELDS}


class DocumentCreateForm(DocumentForm):
    """Metadata and files of a new document, in the user's agency (the operator picks one)."""

    main_file = forms.FileField(label=_("Main file"), required=False, validators=[check_size])
    appendices = MultipleFileField(label=_("Appendices"), required=False, validators=[check_size])
    attachments = MultipleFileField(label=_("Attachments"), required=False, validators=[check_size])
    recipients = forms.CharField(
        label=_("Recipients"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Issued documents: one recipient per line, as 'identifier code | name' or just the name."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user.is_superuser:
            agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.all(),
                                            initial=self.for_user.agency_id)
            self.fields = {"agency": agency, **self.fields}

    def clean_recipients(self):
        recipients = []
        for line in self.cleaned_data["recipients"].splitlines():
            organ_id, _sep, organ_name = line.rpartition("|")
            organ_id, organ_name = organ_id.strip(), organ_name.strip()
            if not organ_name:
                continue
            if len(organ_id) > 35 or len(organ_name) > 200:
                raise forms.ValidationError(_("Line too long: %(line)s"), params={"line": line})
            recipients.append({"organ_id": organ_id, "organ_name": organ_name})
        return recipients

    @property
    def agency(self):
        return self.cleaned_data.get("agency") if "agency" in self.fields else self.for_user.agency

    def clean(self):
        cleaned = super().clean()
        if "agency" not in self.fields and self.agency is None:
            raise forms.ValidationError(_("Your account belongs to no agency."))
        return cleaned

    def files_to_store(self):
        """[(file, name, role)] as services.create_document takes them."""
        data = self.cleaned_data
        files = [(data["main_file"], data["main_file"].name, DocumentFile.Role.MAIN)] if data.get("main_file") else []
        files += [(f, f.name, DocumentFile.Role.APPENDIX) for f in data.get("appendices", [])]
        files += [(f, f.name, DocumentFile.Role.ATTACHMENT) for f in data.get("attachments", [])]
        return files


# --- File plans and case files (casefiles.admin_views): input only, the services decide ----------


class OwnAgencyMixin:
    """A form creating something in the user's agency: the operator, who belongs to none, cannot."""

    def clean(self):
        cleaned = super().clean()
        if self.for_user.agency_id is None:
            raise forms.ValidationError(_("Your account belongs to no agency."))
        return cleaned


class PlanForm(OwnAgencyMixin, WagtailAdminModelForm):
    """A new annual file plan of the user's agency."""

    class Meta:
        model = FilePlan
        fields = ["year", "numbering"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class OpenCaseFileForm(OwnAgencyMixin, WagtailAdminModelForm):
    """Open a case file from an item of this year's approved plan, or ad hoc with the Art. 29 fields."""

    class Meta:
        model = CaseFile
        fields = ["plan_item", "title", "file_notation", "retention_kind", "retention_years", "retention_condition",
                  "rights", "start_date", "description"]
        widgets = {"start_date": AdminDateInput, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        items = PlanItem.objects.filter(plan__agency_id=self.for_user.agency_id, plan__year=today.year,
                                        plan__status=FilePlan.Status.APPROVED, case_files__isnull=True)
        plan_item = self.fields["plan_item"]
        plan_item.queryset = items.order_by("number")
        plan_item.label_from_instance = lambda item: f"{item.file_notation} — {item.title}"
        plan_item.empty_label = _("— none: an ad hoc case file —")
        plan_item.help_text = _("An item of the approved file plan of %(year)s; its number and symbol, title, "
                                "retention and creator are taken over.") % {"year": today.year}
        for name in ("title", "file_notation", "retention_kind", "rights"):
            self.fields[name].required = False
        self.fields["retention_kind"].choices = [("", "---------"), *RetentionKind.choices]
        self.fields["retention_kind"].initial = None
        self.fields["rights"].empty_label = _("— the default —")
        self.fields["start_date"].initial = today

    def service_fields(self):
        """The given values, as keyword arguments of casefiles.filing.open_case_file."""
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class ActionForm(forms.Form):
    """The form of one action on an object page: it knows the object and the person acting."""

    def __init__(self, *args, obj, user, **kwargs):
        self.obj, self.user = obj, user
        super().__init__(*args, **kwargs)


class RetentionFields(forms.Form):
    retention_kind = forms.ChoiceField(label=capfirst(_("retention")), choices=RetentionKind.choices)
    retention_years = forms.IntegerField(label=capfirst(_("retention years")), required=False, min_value=1,
                                         max_value=200)
    retention_condition = forms.CharField(label=capfirst(_("retention condition")), required=False, max_length=300)

    def retention(self):
        data = self.cleaned_data
        return data["retention_kind"], data.get("retention_years"), data.get("retention_condition", "")


class AmendmentForm(ActionForm):
    """A change to a plan: once the plan is approved it needs a reason and is logged as an amendment."""

    reason = forms.CharField(label=_("Reason for the amendment"), required=False, max_length=500,
                             help_text=_("The plan is approved: the change is logged with this reason."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.obj.is_approved:
            del self.fields["reason"]


class HeadingForm(AmendmentForm):
    title = forms.CharField(label=capfirst(_("title")), max_length=300)
    parent = forms.ModelChoiceField(label=_("Under the top heading"), queryset=PlanHeading.objects.none(),
                                    required=False)
    abbreviation = forms.CharField(label=capfirst(_("abbreviation")), max_length=10, required=False,
                                   help_text=_("Top headings only, e.g. TCCB: it ends the symbol of their files."))
    field_order = ["title", "parent", "abbreviation", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = self.obj.headings.filter(parent=None).order_by("ordinal")
        self.fields["parent"].empty_label = _("— none: a top heading —")


class PlanItemForm(RetentionFields, AmendmentForm):
    heading = forms.ModelChoiceField(label=_("Heading"), queryset=PlanHeading.objects.none())
    title = forms.CharField(label=capfirst(_("title")), max_length=500)
    creator = forms.ModelChoiceField(label=capfirst(_("file creator")), queryset=get_user_model().objects.none(),
                                     required=False)
    unit = forms.ModelChoiceField(label=capfirst(_("unit")), queryset=Unit.objects.none(), required=False)
    note = forms.CharField(label=capfirst(_("note")), max_length=500, required=False)
    construction = forms.BooleanField(label=capfirst(_("capital construction (XDCB)")), required=False)
    field_order = ["heading", "title", "retention_kind", "retention_years", "retention_condition", "creator",
                   "unit", "note", "construction", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In the plan's order: each top heading, then its sub-headings.
        self.fields["heading"].queryset = self.obj.headings.select_related("parent").order_by(
            Coalesce("parent__ordinal", "ordinal"), F("parent_id").asc(nulls_first=True), "ordinal")
        self.fields["heading"].label_from_instance = lambda h: (f"{h.top.label}.{h.label} {h.title}" if h.parent_id
                                                                else f"{h.label}. {h.title}")
        self.fields["creator"].queryset = get_user_model().objects.filter(
            agency_id=self.obj.agency_id, is_active=True).order_by("full_name")
        self.fields["unit"].queryset = Unit.objects.filter(agency_id=self.obj.agency_id)


class ApprovePlanForm(ActionForm):
    decision_number = forms.CharField(label=capfirst(_("decision number")), max_length=50)
    decision_date = forms.DateField(label=capfirst(_("decision date")), widget=AdminDateInput)


class CopyPlanForm(ActionForm):
    year = forms.IntegerField(label=capfirst(_("year")), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = self.obj.year + 1


class ImportPlanForm(ActionForm):
    file = forms.FileField(label=_("Excel file (.xlsx)"), validators=[check_size],
                           help_text=_("The layout of the plan's Excel download."))


class DocumentRefForm(ActionForm):
    """A document of the case file's agency, named by its id."""

    document = forms.ModelChoiceField(queryset=Document.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = Document.objects.filter(agency_id=self.obj.agency_id)


class RemoveDocumentForm(DocumentRefForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class CloseCaseFileForm(RetentionFields, ActionForm):
    end_date = forms.DateField(label=capfirst(_("end date")), required=False, widget=AdminDateInput)
    retention_confirmed = forms.BooleanField(label=_("I confirm the retention period again"), required=False)
    field_order = ["end_date", "retention_kind", "retention_years", "retention_condition", "retention_confirmed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case_file = self.obj
        self.initial.setdefault("end_date", case_file.end_date or timezone.localdate())
        for name in ("retention_kind", "retention_years", "retention_condition"):
            self.initial.setdefault(name, getattr(case_file, name))


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class HoldBackForm(ActionForm):
    until = forms.DateField(label=capfirst(_("held back until")), widget=AdminDateInput)
    approval = forms.CharField(label=capfirst(_("hold-back approval")), max_length=300,
                               help_text=_("The head of the agency's written approval (number, date)."))


class StatisticsForm(forms.Form):
    year = forms.TypedChoiceField(label=capfirst(_("year")), coerce=int, choices=[])

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["year"].initial = years[0]
