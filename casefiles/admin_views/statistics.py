"""Case-file statistics (Decree 30 Appendix VI): the number of case files and of the documents in them,
per person and per unit of the agency, for a year; on screen and as an Excel file."""

import io

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet

from accounts.views import agency_scope

from ..forms import StatisticsForm
from ..models import CaseFile
from .common import XLSX, file_response, oversees_agency

COUNTS = {
    "files": Count("id"),
    "closed": Count("id", filter=Q(status=CaseFile.Status.CLOSED)),
    "documents": Coalesce(Sum("doc_total"), 0),
    "pages": Coalesce(Sum("page_total"), 0),
}


def case_file_statistics(case_files):
    """Counts per person (the file's creator), per unit (the file's, else its creator's) and in total:
    {"sections": [(title, what a row names, rows)], "total": counts}; each row has its name and counts."""
    people = case_files.values("creator_id", name=F("creator_name")).annotate(**COUNTS).order_by("name", "creator_id")
    units = (case_files.values(name=Coalesce("unit__name", "creator__unit__name", Value(""))).annotate(**COUNTS)
             .order_by("name"))
    return {"sections": [(_("Per person"), _("File creator"), list(people)), (_("Per unit"), _("Unit"), list(units))],
            "total": case_files.aggregate(**COUNTS)}


def headings():
    return [_("Case files"), _("of which closed"), _("Documents"), _("Pages")]


def statistics_xlsx(agency_name, year, table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statistics")[:31]
    sheet.append([_("Case files and documents of %(year)s — %(agency)s") % {"year": year, "agency": agency_name}])
    sheet["A1"].font = Font(bold=True)
    for title, names, rows in table["sections"]:
        sheet.append([])
        sheet.append([title])
        sheet.append([names, *headings()])
        for cell in [*sheet[sheet.max_row - 1], *sheet[sheet.max_row]]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row["name"] or _("(none)"), row["files"], row["closed"], row["documents"], row["pages"]])
        total = table["total"]
        sheet.append([_("Total"), total["files"], total["closed"], total["documents"], total["pages"]])
    for column, width in zip("ABCDE", (40, 12, 14, 12, 12)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class StatisticsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """For those who oversee the agency's case files; ?year= chooses the year."""

    model = CaseFile
    any_permission_required = ["add", "change", "delete", "view"]
    page_title = gettext_lazy("Case-file statistics")
    header_icon = "table"
    template_name = "casefiles/admin/statistics.html"
    xlsx = False

    def dispatch(self, request, *args, **kwargs):
        if not oversees_agency(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        files = agency_scope(CaseFile.objects.all(), request.user)
        years = sorted({timezone.localdate().year, *files.values_list("year", flat=True)}, reverse=True)
        form = StatisticsForm(request.GET or None, years=years)
        year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else years[0]
        table = case_file_statistics(files.filter(year=year))
        if self.xlsx:
            agency = request.user.agency
            return file_response(statistics_xlsx(agency.name if agency else "", year, table),
                                 f"thong-ke-ho-so-{year}.xlsx", XLSX)
        return self.render_to_response(self.get_context_data(
            form=form, year=year, table=table, headings=headings(),
            xlsx_url=f"{reverse('case-file-statistics:xlsx')}?year={year}"))


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return oversees_agency(request.user)


class StatisticsViewSet(ViewSet):
    """Thống kê at /admin/case-file-statistics/."""

    name = "case-file-statistics"
    icon = "table"
    menu_label = gettext_lazy("Statistics")

    menu_item_class = StatisticsMenuItem

    def get_urlpatterns(self):
        return [
            path("", StatisticsView.as_view(), name="index"),
            path("xlsx/", StatisticsView.as_view(xlsx=True), name="xlsx"),
        ]
