"""The parameters of a search, validated the same way for the API, the staff page and the command."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casefiles.models import CaseFile, Document
from retention.models import RetentionKind

from .models import SearchEntry

SORTS = {
    "relevance": None,
    "date": "date",
    "-date": "-date",
    "number": "number",
    "-number": "-number",
}
SORT_CHOICES = [
    ("relevance", _("Most relevant")),
    ("-date", _("Newest")),
    ("date", _("Oldest")),
    ("number", _("Number, ascending")),
    ("-number", _("Number, descending")),
]
MAX_PAGE_SIZE = 100
MAX_WINDOW = 10000  # deepest result reachable by paging (Elasticsearch's default window)


def _choices(choices):
    return [("", "—"), *choices]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Keywords"), required=False, max_length=255)
    kind = forms.ChoiceField(label=_("Record kind"), required=False, choices=_choices(SearchEntry.Kind.choices))
    agency = forms.CharField(label=_("Agency (identifier or abbreviation)"), required=False,
                             max_length=35)
    unit = forms.IntegerField(label=_("Unit"), required=False, min_value=1)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    doc_type = forms.CharField(label=_("Document type"), required=False, max_length=100)
    register = forms.ChoiceField(label=_("Register (incoming/outgoing/internal)"), required=False,
                                 choices=_choices(Document.Kind.choices))
    retention = forms.ChoiceField(label=_("Retention period"), required=False, choices=_choices(RetentionKind.choices))
    rights = forms.CharField(label=_("Access regime (code)"), required=False, max_length=10)
    status = forms.ChoiceField(label=_("Case-file status"), required=False,
                               choices=_choices(CaseFile.Status.choices))
    date_from = forms.DateField(label=_("From date"), required=False)
    date_to = forms.DateField(label=_("To date"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1)
    page_size = forms.IntegerField(label=_("Results per page"), required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    FILTERS = ["kind", "unit", "year", "doc_type", "register", "retention", "rights", "status", "date_from",
               "date_to"]

    def clean(self):
        data = super().clean()
        data["sort"] = data.get("sort") or "relevance"
        data["page"] = data.get("page") or 1
        data["page_size"] = data.get("page_size") or 20
        if data["page"] * data["page_size"] > MAX_WINDOW:
            raise forms.ValidationError(_("Only the first %(n)s results can be viewed: narrow the search."),
                                        code="window", params={"n": MAX_WINDOW})
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The from date must come before the to date."), code="dates")
        return data
