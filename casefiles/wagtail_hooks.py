from wagtail import hooks

from .views import DocumentViewSet


@hooks.register("register_admin_viewset")
def register_document_viewset():
    return DocumentViewSet()
