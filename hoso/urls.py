from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from accounts.api import AgencyViewSet, TokenView, UnitViewSet, UserViewSet
from casefiles.casefile_api import CaseFileViewSet, FilePlanViewSet
from ingest import edxml_api
from ingest.api import DocumentViewSet
from routing.api import (
    DashboardView,
    DelegationViewSet,
    HandlingReportView,
    IncomingViewSet,
    OutgoingViewSet,
    RegisterViewSet,
)
from routing.keys_api import SigningKeyViewSet

from . import views

router = DefaultRouter()
router.register("agencies", AgencyViewSet)
router.register("units", UnitViewSet)
router.register("users", UserViewSet)
router.register("documents", DocumentViewSet)
router.register("file-plans", FilePlanViewSet)
router.register("case-files", CaseFileViewSet)
router.register("incoming", IncomingViewSet)
router.register("outgoing", OutgoingViewSet)
router.register("registers", RegisterViewSet)
router.register("delegations", DelegationViewSet)
router.register("dashboard", DashboardView, basename="dashboard")
router.register("reports/handling", HandlingReportView, basename="handling-report")
router.register("signing-keys", SigningKeyViewSet, basename="signing-key")

urlpatterns = [
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/v1/edxml/", include(edxml_api.urls)),
    path("api/v1/", include("search.urls")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/", views.not_found),
    path("admin/", include(wagtailadmin_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("", include(wagtail_urls)),
]

handler404 = "hoso.views.not_found"
handler500 = "hoso.views.server_error"
