"""Admin forms for document records. They only collect and check input: the views hand it to
casefiles.services, which stores the files and keeps the audit trail."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.models import Agency, Unit

from .models import Document, DocumentFile
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
