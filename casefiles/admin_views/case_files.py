"""Case files (hồ sơ) in the admin: "My case files" with tabs (open, closed, due and overdue for
transfer) and the agency-wide list for those who oversee it, opening a case file, and a case file's
page: its Appendix VI metadata, documents in chronological order, the actions of casefiles.filing
(file, remove, close with its checklist, reopen, hold back) and its downloads."""

import tempfile

import django_filters
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn

from accounts.views import ScopedIndexView, ScopedInspectView, agency_scope

from .. import filing, outputs
from ..forms import CloseCaseFileForm, DocumentRefForm, HoldBackForm, OpenCaseFileForm, ReasonForm, RemoveDocumentForm
from ..models import CaseFile, Document
from ..views import DocumentFilterSet, DocumentIndexView, DocumentViewSet
from .common import (
    PDF,
    ActionsMixin,
    ObjectDownloadView,
    ServiceCreateView,
    ServiceViewSet,
    field_label,
    file_response,
    oversees_agency,
)

TABS = (("open", _("Open")), ("closed", _("Closed")), ("due", _("Due for transfer")),
        ("overdue", _("Overdue for transfer")))
SCOPES = (("mine", _("My case files")), ("agency", _("All of the agency")))


class CaseFileFilterSet(WagtailFilterSet):
    tab = django_filters.ChoiceFilter(label=_("Show"), choices=TABS, method="filter_tab", empty_label=_("All"))
    # Read by CaseFileIndexView; a filter so that searching and filtering keep it.
    scope = django_filters.ChoiceFilter(label=_("Whose"), choices=SCOPES, method="keep", empty_label=None)
    year = django_filters.ChoiceFilter(label=field_label(CaseFile, "year"), choices=[])

    class Meta:
        model = CaseFile
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        years = agency_scope(CaseFile.objects.all(), request.user).order_by("-year").values_list("year", flat=True)
        self.filters["year"].extra["choices"] = [(year, year) for year in years.distinct()]
        if not oversees_agency(request.user):
            del self.filters["scope"]

    def filter_tab(self, queryset, name, value):
        if value in (CaseFile.Status.OPEN, CaseFile.Status.CLOSED):
            return queryset.filter(status=value)
        upcoming, overdue = filing.due_for_transfer(self.request.user.agency)
        return queryset.filter(pk__in=[case_file.pk for case_file, _due in (upcoming if value == "due" else overdue)])

    def keep(self, queryset, name, value):
        return queryset


class CaseFileIndexView(ScopedIndexView):
    """The creator's own case files; the whole agency's with ?scope=agency for those who oversee it."""

    template_name = "casefiles/admin/case_file_index.html"
    add_item_label = _("Open a case file")

    @cached_property
    def agency_wide(self):
        return self.request.GET.get("scope") == "agency" and oversees_agency(self.request.user)

    def get_page_title(self):
        return _("Case files of the agency") if self.agency_wide else _("My case files")

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("agency")
        return queryset if self.agency_wide else queryset.filter(creator=self.request.user)

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        columns = [
            title_column("file_notation", label=field_label(CaseFile, "file_notation"), sort_key="file_notation",
                         get_url=self.get_inspect_url),
            Column("title", label=field_label(CaseFile, "title"), width="35%"),
            Column("year", label=field_label(CaseFile, "year"), sort_key="year"),
            Column("retention_label", label=field_label(CaseFile, "retention_kind")),
            Column("start_date", label=field_label(CaseFile, "start_date"), sort_key="start_date"),
            Column("end_date", label=field_label(CaseFile, "end_date"), sort_key="end_date"),
            Column("status", accessor="get_status_display", label=field_label(CaseFile, "status")),
            Column("doc_total", label=field_label(CaseFile, "doc_total")),
            Column("due", accessor=filing.effective_due_date, label=_("Transfer due date")),
        ]
        if self.agency_wide:
            columns.insert(2, Column("creator_name", label=field_label(CaseFile, "creator_name"),
                                     sort_key="creator_name"))
        return columns

    def url_with(self, **changes):
        """This listing's URL with some parameters changed (an empty value drops one), on its first page."""
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        for name, value in changes.items():
            query.pop(name, None)
            if value:
                query[name] = value
        return f"{self.index_url}?{query.urlencode()}"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        active = self.request.GET.get("tab", "")
        context.update(
            tabs=[{"label": label, "url": self.url_with(tab=value), "active": value == active}
                  for value, label in (("", _("All")), *TABS)],
            oversees=oversees_agency(self.request.user), agency_wide=self.agency_wide,
            scope_url=self.url_with(scope="" if self.agency_wide else "agency"),
        )
        return context


class CaseFileOpenView(ServiceCreateView):
    page_title = _("Open a case file")

    def get_initial(self):
        """?plan_item= (from the plan's page) chooses the item."""
        initial = super().get_initial()
        if item := self.request.GET.get("plan_item"):
            initial["plan_item"] = item
        return initial

    def save_instance(self):
        user = self.request.user
        return filing.open_case_file(agency=user.agency, actor=user, request=self.request, creator=user,
                                     creator_name=user.get_full_name()[:50], **self.form.service_fields())


class CaseFileInspectView(ActionsMixin, ScopedInspectView):
    """The case file's page: metadata, documents and the actions of casefiles.filing."""

    page_title = _("Case file")
    template_name = "casefiles/admin/case_file_detail.html"
    action_forms = {"add_document": DocumentRefForm, "remove_document": RemoveDocumentForm,
                    "close": CloseCaseFileForm, "reopen": ReasonForm, "hold_back": HoldBackForm}

    def action_allowed(self, name):
        return self.user_has_permission("add")

    def _service_kwargs(self):
        return {"actor": self.request.user, "request": self.request}

    def do_add_document(self, form):
        entry = filing.add_document(self.object, form.cleaned_data["document"], **self._service_kwargs())
        return _("Document filed as number %(ordinal)s.") % {"ordinal": entry.ordinal}

    def do_remove_document(self, form):
        filing.remove_document(self.object, form.cleaned_data["document"], reason=form.cleaned_data["reason"],
                               **self._service_kwargs())
        return _("Document taken out of the case file.")

    def do_close(self, form):
        data = form.cleaned_data
        filing.close_case_file(self.object, end_date=data["end_date"], retention=form.retention(),
                               retention_confirmed=data["retention_confirmed"], **self._service_kwargs())
        return _("The case file is closed.")

    def do_reopen(self, form):
        filing.reopen_case_file(self.object, reason=form.cleaned_data["reason"], **self._service_kwargs())
        return _("The case file is open again.")

    def do_hold_back(self, form):
        data = form.cleaned_data
        filing.hold_back(self.object, until=data["until"], approval=data["approval"], **self._service_kwargs())
        return _("The case file is held back until %(date)s.") % {"date": data["until"].strftime("%d/%m/%Y")}

    def metadata(self):
        """The Appendix VI Part III fields and what follows from them, as (label, value)."""
        case_file = self.object

        def row(name):
            value = getattr(case_file, f"get_{name}_display", None)
            return field_label(CaseFile, name), value() if value else getattr(case_file, name)

        rows = [
            (_("File code"), case_file.file_code),
            (field_label(type(case_file.agency), "identifier"), case_file.agency.identifier),
            *map(row, ("year", "file_notation", "title")),
            (field_label(CaseFile, "retention_kind"), case_file.retention_label),
            *map(row, ("rights", "creator_name", "unit", "language", "start_date", "end_date", "doc_total",
                       "page_total", "description", "status", "plan_item", "closed_at")),
            (_("Transfer due date"), filing.effective_due_date(case_file)),
            (_("Review year"), filing.review_year(case_file)),
            *map(row, ("held_until", "hold_approval", "transferred_at")),
        ]
        return [(label, value) for label, value in rows if value not in (None, "")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case_file = self.object
        entries = filing.chronological_entries(case_file)
        for entry in entries:
            entry.document_url = reverse("records:inspect", args=(entry.document_id,))
        close_form = context["forms"].get("close")
        confirmed = bool(close_form and close_form.is_bound and close_form.is_valid()
                         and close_form.cleaned_data["retention_confirmed"])
        context.update(
            metadata=self.metadata(), entries=entries,
            checklist=filing.close_checklist(case_file, retention_confirmed=confirmed),
            can_reopen=self.request.user.has_role(*filing.REOPEN_ROLES),
            add_document_url=reverse("case-files:add_document", args=(case_file.pk,)),
            downloads=[(_("Document list (PDF)"), reverse("case-files:document_list_pdf", args=(case_file.pk,))),
                       (_("Document list (XML)"), reverse("case-files:document_list_xml", args=(case_file.pk,))),
                       (_("Export package (ZIP)"), reverse("case-files:export", args=(case_file.pk,)))],
        )
        return context


class FileIntoColumn(Column):
    """A button filing the row's document into the case file (posted to the case file's page)."""

    cell_template_name = "casefiles/admin/includes/file_into_cell.html"

    def __init__(self, case_file, **kwargs):
        super().__init__("file_into", label=_("Case file"), **kwargs)
        self.case_file = case_file
        self.filed = set(case_file.entries.values_list("document_id", flat=True))

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(filed=instance.pk in self.filed, csrf_token=get_token(parent_context["request"]),
                       action_url=reverse("case-files:inspect", args=(self.case_file.pk,)))
        return context


class DocumentPickerView(DocumentIndexView):
    """The agency's documents, searched by number, notation or subject, to file into the case file."""

    page_title = _("Add a document to the case file")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.case_file = get_object_or_404(agency_scope(CaseFile.objects.all(), request.user), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.case_file)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("case-files:index"), "label": _("My case files")},
            {"url": reverse("case-files:inspect", args=(self.case_file.pk,)), "label": str(self.case_file)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_index_url(self):
        return reverse("case-files:add_document", args=(self.case_file.pk,))

    def get_index_results_url(self):
        return reverse("case-files:add_document_results", args=(self.case_file.pk,))

    def get_add_url(self):
        return None

    @cached_property
    def columns(self):
        return [*super().columns, FileIntoColumn(self.case_file)]


def document_list_pdf(case_file):
    return file_response(outputs.document_list_pdf(case_file), f"muc-luc-van-ban-{case_file.file_code}.pdf", PDF,
                         inline=True)


def document_list_xml(case_file):
    return file_response(outputs.case_file_xml(case_file), f"{case_file.file_code}.xml",
                         "application/xml; charset=utf-8")


def export_zip(case_file):
    spool = tempfile.TemporaryFile()
    outputs.export_zip(case_file, spool)
    spool.seek(0)
    return file_response(spool, f"{case_file.file_code}.zip", "application/zip")


class CaseFileViewSet(ServiceViewSet):
    """Hồ sơ at /admin/case-files/."""

    name = "case-files"
    model = CaseFile
    icon = "folder-open-inverse"
    menu_label = _("My case files")
    index_view_class = CaseFileIndexView
    add_view_class = CaseFileOpenView
    inspect_view_class = CaseFileInspectView
    filterset_class = CaseFileFilterSet
    search_fields = ["file_notation", "title", "creator_name"]
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return OpenCaseFileForm

    def document_picker(self, results_only=False):
        return DocumentPickerView.as_view(
            model=Document, filterset_class=DocumentFilterSet, search_fields=DocumentViewSet.search_fields,
            inspect_url_name="records:inspect", header_icon="doc-full", results_only=results_only)

    def get_urlpatterns(self):
        def download(make):
            return ObjectDownloadView.as_view(model=CaseFile, make=make)

        return [
            *super().get_urlpatterns(),
            path("<int:pk>/documents/", self.document_picker(), name="add_document"),
            path("<int:pk>/documents/results/", self.document_picker(results_only=True), name="add_document_results"),
            path("<int:pk>/document-list.pdf", download(document_list_pdf), name="document_list_pdf"),
            path("<int:pk>/document-list.xml", download(document_list_xml), name="document_list_xml"),
            path("<int:pk>/export.zip", download(export_zip), name="export"),
        ]
