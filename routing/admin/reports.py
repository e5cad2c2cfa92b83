"""Registers and handling reports on screen, with XLSX and PDF downloads (?as=xlsx|pdf)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.errors import HosoError

from .. import reports
from ..forms import HandlingReportForm, PeriodForm
from ..models import Register
from .common import AgencyView, RoutingView, agency_items


def registers_for(user):
    return agency_items(Register.objects.select_related("agency"), user, field="agency_id")


class RegistersView(RoutingView):
    page_title = _("Registers")
    header_icon = "list-ol"
    template_name = "routing/registers.html"

    def get_context_data(self, **kwargs):
        registers = registers_for(self.request.user).order_by("-year", "kind", "agency__name")
        return super().get_context_data(registers=registers, handling=self.request.user.has_role(*reports.READERS),
                                        **kwargs)


class ReportView(RoutingView):
    """A report for the period of the form (?from=&to=); ?as=xlsx|pdf downloads it."""

    template_name = "routing/report.html"
    header_icon = "table"
    form_class = PeriodForm

    def make_report(self, data):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        form = self.form_class(request.GET or None, initial=self.initial())
        report = None
        if not form.is_bound or form.is_valid():
            data = form.cleaned_data if form.is_bound else {}
            try:
                report = self.make_report(data)
            except HosoError as error:
                messages.error(request, error.message)
            if report is not None and data.get("as"):
                return reports.file_response(report, data["as"])
        return self.render_to_response(self.get_context_data(form=form, report=report, **kwargs))

    def initial(self):
        return {}

    def get_context_data(self, report=None, **kwargs):
        context = super().get_context_data(report=report, **kwargs)
        if report is not None:
            context["sections"] = [(section, reports.display_rows(section)) for section in report.sections]
            context["downloads"] = [(fmt.upper(), self.download_url(fmt)) for fmt in reports.FORMATS]
        return context

    def download_url(self, fmt):
        query = self.request.GET.copy()
        query["as"] = fmt
        return f"?{query.urlencode()}"


class RegisterReportView(ReportView):
    parent = ("registers", _("Registers"))

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.register = get_object_or_404(registers_for(request.user), pk=kwargs["pk"])

    def get_page_title(self):
        return reports.REGISTER_TITLES[self.register.kind].capitalize() + f" {self.register.year}"

    def initial(self):
        date_from, date_to = reports.period(year=self.register.year)
        return {"from": date_from, "to": date_to}

    def make_report(self, data):
        return reports.register_report(self.register, data.get("from"), data.get("to"))


class HandlingReportView(AgencyView, ReportView):
    page_title = _("Handling reports")
    roles = reports.READERS
    parent = ("registers", _("Registers"))
    form_class = HandlingReportForm

    def initial(self):
        date_from, date_to = reports.period()
        return {"kind": "incoming", "from": date_from, "to": date_to}

    def make_report(self, data):
        return reports.handling_report(self.request.user.agency, data.get("kind") or "incoming", data.get("from"),
                                       data.get("to"))
