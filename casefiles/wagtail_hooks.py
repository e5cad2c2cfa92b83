from wagtail import hooks

from .admin_views import CaseFilesMenu
from .views import DocumentViewSet


@hooks.register("register_admin_viewset")
def register_document_viewset():
    return DocumentViewSet()


@hooks.register("register_admin_viewset")
def register_case_file_viewsets():
    return CaseFilesMenu()
