"""The staff search page in the Wagtail admin ("Tra cứu"): query, filters, facets, highlighted
hits, chosen columns, pages, XLSX/PDF export and saved searches. The work is search.services'.
Its text is in the person's language: Vietnamese unless they chose English (hoso.middleware)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.formats import get_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.errors import HosoError

from . import exports, services
from .api import export_response
from .forms import SearchForm
from .models import SavedQuery

FACET_TITLES = {
    "kind": gettext_lazy("Record kind"), "year": gettext_lazy("Year"), "doc_type": gettext_lazy("Document type"),
    "register": gettext_lazy("Document register"), "status": gettext_lazy("Case-file status"),
    "rights": gettext_lazy("Access regime"), "retention": gettext_lazy("Retention period"),
    "unit_id": gettext_lazy("Unit"), "agency_id": gettext_lazy("Agency"),
}
FACET_PARAMS = {"unit_id": "unit", "agency_id": "agency"}
ADMIN_PAGES = {"document": "records:inspect", "casefile": "case-files:inspect"}


def admin_url(hit):
    """The record's page in the admin (the API's when that page is not installed)."""
    try:
        return reverse(ADMIN_PAGES[hit["kind"]], args=[hit["id"]])
    except NoReverseMatch:
        return hit.get("url", "")


class SearchView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "search/admin/search.html"
    page_title = gettext_lazy("Search case files and documents")
    header_icon = "search"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        if request.GET.get("export"):
            data = request.GET.copy()
            data["output"] = data["export"]
            data["columns"] = ",".join(self.columns())
            try:
                return export_response(request.user, data)
            except HosoError as error:
                messages.error(request, error.message)
                return redirect(self.url_without("export"))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """Save the current search under a name, or forget a saved one."""
        if "forget" in request.POST:
            get_object_or_404(SavedQuery, pk=request.POST["forget"], user=request.user).delete()
            return redirect(request.get_full_path())
        name = request.POST.get("name", "").strip()[:100]
        if not name:
            messages.error(request, _("Name the query to save it."))
        else:
            filters = {k: v for k, v in request.GET.items() if k in SearchForm.FILTERS + ["agency", "sort"] and v}
            SavedQuery.objects.update_or_create(user=request.user, name=name, defaults={
                "query": request.GET.get("q", ""), "filters": filters, "columns": self.columns()})
            messages.success(request, _("Saved the query “%(name)s”.") % {"name": name})
        return redirect(request.get_full_path())

    def columns(self):
        chosen = [c for c in self.request.GET.getlist("columns") if c in exports.COLUMNS]
        return chosen or list(exports.DEFAULT_COLUMNS)

    def url_without(self, *names, **changes):
        params = [(k, v) for k, v in self.request.GET.lists() if k not in names and k not in changes for v in v]
        params += [(k, v) for k, v in changes.items() if v not in (None, "")]
        return f"{reverse('search_admin:index')}?{urlencode(params)}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        results, error = None, None
        if form.is_bound and form.is_valid():
            try:
                results = services.search(self.request.user, form.cleaned_data)
            except HosoError as exc:
                error = exc.message
            else:
                for hit in results.hits:
                    hit["admin_url"] = admin_url(hit)
                    hit["date_shown"] = exports.cell(hit, "date")  # dd/mm/yyyy in every language
        columns = self.columns()
        context.update(
            form=form, results=results, error=error, columns=[(c, exports.COLUMNS[c]) for c in columns],
            all_columns=[(c, label, c in columns) for c, label in exports.COLUMNS.items()],
            saved=[(saved, saved_url(saved)) for saved in SavedQuery.objects.filter(user=self.request.user)],
            facets=self._facets(results) if results else [],
            total=grouped(results.total) if results else "",
            pages=self._pages(results) if results else [],
            export_xlsx=self.url_without("page", export="xlsx"), export_pdf=self.url_without("page", export="pdf"),
        )
        return context

    def _facets(self, results):
        out = []
        for name, values in results.facets.items():
            param = FACET_PARAMS.get(name, name)
            if not values or (name == "agency_id"):
                continue
            out.append((FACET_TITLES.get(name, name), [
                {**v, "url": self.url_without("page", **{param: v["value"]}),
                 "active": str(self.request.GET.get(param, "")) == str(v["value"])} for v in values]))
        return out

    def _pages(self, results):
        around = range(max(1, results.page - 3), min(results.pages, results.page + 3) + 1)
        return [(n, self.url_without(page=n), n == results.page) for n in around]


def grouped(number):
    """Digits in groups of three, as the language writes them: 10.000 in Vietnamese, 10,000 in English."""
    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def saved_url(saved):
    return f"{reverse('search_admin:index')}?{urlencode({'q': saved.query, **saved.filters})}" + "".join(
        f"&columns={c}" for c in saved.columns)
