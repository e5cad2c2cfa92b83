"""The staff pages of file plans and case files in the Wagtail admin, under one "Case files" menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup

from .case_files import CaseFileViewSet
from .file_plans import FilePlanViewSet
from .statistics import StatisticsViewSet


class CaseFilesMenu(ViewSetGroup):
    menu_label = _("Case files")
    menu_icon = "folder-inverse"
    menu_order = 160
    items = (FilePlanViewSet, CaseFileViewSet, StatisticsViewSet)
