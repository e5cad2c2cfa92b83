"""REST API for edXML packages, under /api/v1/edxml/, scoped to the caller's agency.

POST /api/v1/edxml/                      import a package (multipart field ``package``, or an XML body)
GET  /api/v1/edxml/export/{document_id}/ the package of an issued document
GET  /api/v1/edxml/packages/             the agency's packages, received and sent (status replies)
GET  /api/v1/edxml/packages/{id}/download/  a package's bytes, exactly as received or produced
"""

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from accounts import audit
from accounts.api import AgencyScopedMixin
from accounts.errors import HosoError
from casefiles import blobstore
from casefiles.models import Document

from . import api, edxml
from .models import EdxmlPackage


class XmlBodyParser(BaseParser):
    """An XML request body, handed on as the request stream (read with the package size limit)."""

    media_type = "*/xml"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream


def _permission(codename):
    class Permission(permissions.BasePermission):
        def has_permission(self, request, view):
            return request.user.is_authenticated and request.user.has_perm(codename)

    return Permission


class EdxmlPackageSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="blob.sha256", read_only=True)
    size = serializers.IntegerField(source="blob.size", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EdxmlPackage
        fields = ["id", "direction", "business_type", "document", "document_identifier", "from_organ_id",
                  "from_organ_name", "status_code", "sha256", "size", "header", "created_at", "download_url"]

    def get_download_url(self, obj) -> str:
        return f"/api/v1/edxml/packages/{obj.pk}/download/"


class EdxmlDocumentSerializer(api.DocumentSerializer):
    class Meta(api.DocumentSerializer.Meta):
        fields = [*api.DocumentSerializer.Meta.fields, "identifier", "recalled_at", "recall_info"]


class EdxmlImportSerializer(serializers.Serializer):
    document = EdxmlDocumentSerializer()
    duplicate = serializers.BooleanField()
    package = EdxmlPackageSerializer(allow_null=True)
    reply = EdxmlPackageSerializer(allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())


class ImportView(APIView):
    """Import an edXML package into the caller's agency (201; 200 with ``duplicate`` when already imported)."""

    parser_classes = [MultiPartParser, XmlBodyParser]
    permission_classes = [_permission("casefiles.add_document")]

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "properties": {"package": {"type": "string",
                                                                                      "format": "binary"}}},
                 "application/xml": OpenApiTypes.BINARY},
        responses={201: EdxmlImportSerializer, 200: EdxmlImportSerializer},
    )
    def post(self, request):
        agency = request.user.agency
        if agency is None:
            raise HosoError("Tài khoản không thuộc cơ quan nào.", code="no_agency", status=403)
        if hasattr(request.data, "getlist"):  # multipart
            source = request.data.get("package")
            if not hasattr(source, "read"):
                raise HosoError("Thiếu tệp gói tin (trường package).", code="package_required")
            name = source.name
        else:
            source, name = request.data, "edxml.xml"
        result = edxml.import_package(agency, source, name, actor=request.user, request=request)
        context = {"request": request, "duplicate_of": result.duplicate_of}
        body = EdxmlImportSerializer(result, context=context).data
        return Response(body, status=status.HTTP_200_OK if result.duplicate else status.HTTP_201_CREATED)


class ExportView(APIView):
    """The edXML package of an issued document of the caller's agency."""

    permission_classes = [_permission("casefiles.view_document")]

    def perform_content_negotiation(self, request, force=False):
        # The package is XML whatever the client accepts; errors are JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.BINARY, 404: OpenApiResponse()})
    def get(self, request, document_id):
        document = get_object_or_404(Document.objects.for_user(request.user).select_related("agency"),
                                     pk=document_id)
        data = edxml.build_document_package(document)
        audit.record(audit.DOWNLOAD, document, request=request, detail={"edxml": True})
        response = HttpResponse(data, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="edxml-{document.pk}.xml"'
        return response


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("direction", str, enum=EdxmlPackage.Direction.values),
    OpenApiParameter("status_code", str, enum=EdxmlPackage.Status.values),
    OpenApiParameter("document", int),
]))
class PackageViewSet(AgencyScopedMixin, viewsets.ReadOnlyModelViewSet):
    """The agency's edXML packages: received (documents, recalls, statuses) and sent (status replies)."""

    queryset = EdxmlPackage.objects.select_related("blob")
    serializer_class = EdxmlPackageSerializer
    permission_classes = [_permission("casefiles.view_document")]

    def get_queryset(self):
        queryset = super().get_queryset()
        params = self.request.query_params
        for name in ("direction", "status_code"):
            if value := params.get(name):
                queryset = queryset.filter(**{name: value})
        if (document := params.get("document", "")).isdigit():
            queryset = queryset.filter(document_id=document)
        return queryset

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The package's bytes, exactly as received or produced."""
        package = self.get_object()
        return FileResponse(blobstore.open_blob(package.blob), as_attachment=True,
                            filename=f"edxml-{package.pk}.xml", content_type="application/xml")


router = SimpleRouter()
router.register("packages", PackageViewSet, basename="edxml-package")
urls = [
    path("", ImportView.as_view(), name="edxml-import"),
    path("export/<int:document_id>/", ExportView.as_view(), name="edxml-export"),
    *router.urls,
]
