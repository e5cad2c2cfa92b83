"""File plans (Danh mục hồ sơ) in the admin: the agency's plans by year, a new plan, and a plan's page
with its tree and amendments, its actions (headings, items, approval, copy to another year, Excel
import into an empty draft) and its PDF (Appendix V) and Excel downloads."""

from django.db.models import Count
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn

from accounts.roles import Role
from accounts.views import ScopedIndexView, ScopedInspectView

from .. import outputs, plans
from ..forms import ApprovePlanForm, CopyPlanForm, HeadingForm, ImportPlanForm, PlanForm, PlanItemForm
from ..models import CaseFile, FilePlan
from .common import (
    PDF,
    XLSX,
    ActionsMixin,
    ObjectDownloadView,
    ServiceCreateView,
    ServiceViewSet,
    field_label,
    file_response,
)

APPROVERS = (Role.LEADER, Role.ADMIN)


def decision(plan):
    if not plan.decision_number:
        return ""
    return _("No. %(number)s of %(date)s") % {"number": plan.decision_number,
                                               "date": plan.decision_date.strftime("%d/%m/%Y")}


class PlanIndexView(ScopedIndexView):
    default_ordering = "-year"

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(item_count=Count("items"))

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column("year", label=field_label(FilePlan, "year"), sort_key="year",
                         get_url=self.get_inspect_url),
            Column("status", accessor="get_status_display", label=field_label(FilePlan, "status")),
            Column("decision", accessor=decision, label=_("Approving decision")),
            Column("item_count", label=_("Planned files")),
        ]


class PlanCreateView(ServiceCreateView):
    page_title = _("New file plan")

    def save_instance(self):
        data = self.form.cleaned_data
        return plans.create_plan(self.request.user.agency, data["year"], numbering=data["numbering"],
                                 actor=self.request.user)


class PlanInspectView(ActionsMixin, ScopedInspectView):
    """The plan as a tree, with the forms of its actions."""

    page_title = _("File plan")
    template_name = "casefiles/admin/plan_detail.html"
    action_forms = {"add_heading": HeadingForm, "add_item": PlanItemForm, "approve": ApprovePlanForm,
                    "copy": CopyPlanForm, "import_xlsx": ImportPlanForm}

    def action_allowed(self, name):
        if name == "approve":
            return self.request.user.has_role(*APPROVERS)
        return self.user_has_permission("add" if name == "copy" else "change")

    def do_add_heading(self, form):
        data = form.cleaned_data
        heading = plans.add_heading(self.object, data["title"], parent=data["parent"],
                                    abbreviation=data["abbreviation"], actor=self.request.user,
                                    reason=data.get("reason", ""))
        return _("Heading “%(heading)s” added.") % {"heading": heading}

    def do_add_item(self, form):
        data = form.cleaned_data
        item = plans.add_item(self.object, data["heading"], data["title"], retention=form.retention(),
                              creator=data["creator"], note=data["note"], unit=data["unit"],
                              construction=data["construction"], actor=self.request.user,
                              reason=data.get("reason", ""))
        return _("Case file %(notation)s added to the plan.") % {"notation": item.file_notation}

    def do_approve(self, form):
        plans.approve_plan(self.object, actor=self.request.user, **form.cleaned_data)
        return _("The file plan is approved.")

    def do_copy(self, form):
        plan = plans.copy_plan(self.object, form.cleaned_data["year"], actor=self.request.user)
        self.redirect_to = reverse("file-plans:inspect", args=(plan.pk,))
        return _("The file plan of %(year)s was started from this one, as a draft.") % {"year": plan.year}

    def do_import_xlsx(self, form):
        count = plans.import_xlsx(self.object, form.cleaned_data["file"].read(), actor=self.request.user)
        return _("%(count)s planned case files imported.") % {"count": count}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        case_files = dict(CaseFile.objects.filter(plan_item__plan=plan).values_list("plan_item_id", "pk"))
        rows = plans.plan_rows(plan)
        for row in rows:
            if row[0] == "item" and row[1].pk in case_files:
                row[1].case_file_url = reverse("case-files:inspect", args=(case_files[row[1].pk],))
        total, permanent, limited = plans.plan_counts(plan)
        context.update(
            rows=rows, total=total, permanent=permanent, limited=limited, decision=decision(plan),
            amendments=plan.amendments.select_related("actor"),
            can_open=plan.is_approved and plan.year == timezone.localdate().year,
            open_url=reverse("case-files:add"),
            pdf_url=reverse("file-plans:pdf", args=(plan.pk,)),
            xlsx_url=reverse("file-plans:xlsx", args=(plan.pk,)),
        )
        return context


def plan_pdf(plan):
    return file_response(outputs.plan_pdf(plan), f"danh-muc-ho-so-{plan.year}.pdf", PDF, inline=True)


def plan_xlsx(plan):
    return file_response(plans.export_xlsx(plan), f"danh-muc-ho-so-{plan.year}.xlsx", XLSX)


class FilePlanViewSet(ServiceViewSet):
    """Danh mục hồ sơ at /admin/file-plans/."""

    name = "file-plans"
    model = FilePlan
    icon = "list-ul"
    menu_label = _("File plans")
    index_view_class = PlanIndexView
    add_view_class = PlanCreateView
    inspect_view_class = PlanInspectView

    def get_form_class(self, for_update=False):
        return PlanForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/pdf/", ObjectDownloadView.as_view(model=FilePlan, make=plan_pdf), name="pdf"),
            path("<int:pk>/xlsx/", ObjectDownloadView.as_view(model=FilePlan, make=plan_xlsx), name="xlsx"),
        ]
