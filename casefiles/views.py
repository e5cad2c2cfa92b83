"""Document records in the Wagtail admin: list, detail with files and PDF preview, forms, downloads.

Every view reads only the user's agency's documents (404 otherwise), and
every change, view and download goes through casefiles.services (audited).
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn

from accounts.errors import HosoError
from accounts.models import Unit
from accounts.views import (
    AgencyScopedViewSet,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
    agency_scope,
)

from . import serving, services
from .forms import DocumentCreateForm, DocumentForm
from .models import Document, DocumentFile



def label(field_name):
    return capfirst(Document._meta.get_field(field_name).verbose_name)


def units_for(request):
    return agency_scope(Unit.objects.all(), request.user)


class DocumentFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=label("kind"), choices=Document.Kind.choices)
    type_name = django_filters.ChoiceFilter(label=label("type_name"), choices=[])  # the agency's own, below
    priority = django_filters.ChoiceFilter(label=label("priority"), choices=Document.Priority.choices)
    year = django_filters.ChoiceFilter(label=_("Year issued"), field_name="issued_date", lookup_expr="year",
                                       choices=[])
    unit = django_filters.ModelChoiceFilter(label=label("unit"), queryset=units_for)

    class Meta:
        model = Document
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        documents = agency_scope(Document.objects.all(), request.user)
        type_names = documents.exclude(type_name="").order_by("type_name").values_list("type_name", flat=True)
        self.filters["type_name"].extra["choices"] = [(name, name) for name in type_names.distinct()]
        years = documents.dates("issued_date", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(day.year, day.year) for day in years]


class DocumentIndexView(ScopedIndexView):
    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "number_notation", label=_("Number and notation"), sort_key="code_number",
                accessor=lambda document: document.number_notation or "—", get_url=self.get_inspect_url,
            ),
            Column("issued_date", label=label("issued_date"), sort_key="issued_date", width="10%"),
            Column("subject", label=label("subject"), width="40%"),
            Column("kind", accessor="get_kind_display", label=label("kind"), sort_key="kind"),
            Column("organ_name", label=label("organ_name"), sort_key="organ_name"),
        ]

    def search_queryset(self, queryset):
        """Number, notation (also written together: 125/QĐ-UBND) or subject containing the query."""
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        queryset = queryset.annotate(_number_notation=Concat("code_number", Value("/"), "code_notation"))
        return queryset.filter(
            Q(_number_notation__icontains=query) | Q(code_number__icontains=query)
            | Q(code_notation__icontains=query) | Q(subject__icontains=query)
        )


class DocumentCreateView(ScopedCreateView):
    def save_instance(self):
        form = self.form
        return services.create_document(
            agency=form.agency, actor=self.request.user, request=self.request,
            files=form.files_to_store(), recipients=form.cleaned_data["recipients"], **form.metadata(),
        )


class DocumentEditView(ScopedEditView):
    def save_instance(self):
        # The form has already written its values onto self.object; the service compares against the stored row.
        stored = Document.objects.get(pk=self.object.pk)
        return services.update_document(stored, actor=self.request.user, request=self.request,
                                        **self.form.metadata())


class DocumentDeleteView(ScopedDeleteView):
    def delete_action(self):
        services.delete_document(self.object, actor=self.request.user, request=self.request)


class DocumentInspectView(ScopedInspectView):
    """The detail page: all Appendix VI metadata, recipients, files, and the main file's PDF preview."""

    page_title = _("Document details")

    def get(self, request, *args, **kwargs):
        services.record_view(self.object, request=request)
        return super().get(request, *args, **kwargs)

    def get_fields_context(self):
        return [field for field in super().get_fields_context() if field["value"] not in (None, "", {}, [])]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        files = list(self.object.files.select_related("blob"))
        for document_file in files:
            document_file.download_url = file_url("download", document_file)
        main = next((f for f in files if f.role == DocumentFile.Role.MAIN), None)
        context.update(
            files=files,
            recipients=self.object.recipients.all(),
            preview_url=file_url("preview", main) if main and main.blob.mime_type == serving.PDF and not main.quarantined else None,
        )
        return context


def file_url(view_name, document_file):
    return reverse(f"{DocumentViewSet.name}:{view_name}", args=(document_file.document_id, document_file.pk))


def serve_file(request, pk, file_id, inline=False):
    """A document file's bytes, as stored, for a user of the document's agency; audited."""
    document = get_object_or_404(Document.objects.for_user(request.user), pk=pk)
    if not request.user.has_perm("casefiles.view_document"):
        raise PermissionDenied
    document_file = get_object_or_404(document.files.select_related("blob", "document"), pk=file_id)
    try:
        return serving.file_response(document_file, inline=inline, request=request)
    except HosoError as error:
        return HttpResponse(error.message, status=error.status, content_type="text/plain; charset=utf-8")


def download(request, pk, file_id):
    return serve_file(request, pk, file_id)


def preview(request, pk, file_id):
    """Inline, for the browser's PDF viewer (other types are downloaded)."""
    return serve_file(request, pk, file_id, inline=True)


class DocumentViewSet(AgencyScopedViewSet):
    """Documents at /admin/records/ ("documents/" is Wagtail's own documents library)."""

    name = "records"
    model = Document
    icon = "doc-full"
    menu_order = 150
    add_to_settings_menu = False
    add_to_admin_menu = True
    index_view_class = DocumentIndexView
    add_view_class = DocumentCreateView
    edit_view_class = DocumentEditView
    delete_view_class = DocumentDeleteView
    inspect_view_class = DocumentInspectView
    filterset_class = DocumentFilterSet
    list_per_page = 50
    search_fields = ["code_number", "code_notation", "subject"]
    inspect_template_name = "casefiles/document_detail.html"
    inspect_view_fields_exclude = ["id"]  # every other field of the record, in the model's order

    def get_form_class(self, for_update=False):
        return DocumentForm if for_update else DocumentCreateForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/files/<int:file_id>/download/", download, name="download"),
            path("<int:pk>/files/<int:file_id>/preview/", preview, name="preview"),
        ]
