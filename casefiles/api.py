"""REST API for document records and their files, scoped to the caller's agency."""

import json

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.api import AgencyScopedMixin
from accounts.errors import HosoError

from . import serving, services
from .models import Document, DocumentFile, FileSignature, Recipient


class FileSignatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = FileSignature
        fields = ["field_name", "signer_name", "signer_certificate", "issuer", "signing_time", "covered_range",
                  "covers_whole_file", "intact", "valid", "trusted", "revocation", "error", "checked_at"]


class DocumentFileSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="blob.sha256", read_only=True)
    size = serializers.IntegerField(source="blob.size", read_only=True)
    mime_type = serializers.CharField(source="blob.mime_type", read_only=True)
    stored_name = serializers.CharField(source="blob.name", read_only=True)
    download_url = serializers.SerializerMethodField()
    signatures = FileSignatureSerializer(many=True, read_only=True)

    class Meta:
        model = DocumentFile
        fields = ["id", "role", "ordinal", "original_name", "sha256", "size", "mime_type", "stored_name",
                  "download_url", "signatures"]

    def get_download_url(self, obj) -> str:
        return f"/api/v1/documents/{obj.document_id}/files/{obj.pk}/download/"


class RecipientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recipient
        fields = ["organ_id", "organ_name"]


class RecipientsField(serializers.ListField):
    """A list of recipients, given as JSON text in a multipart form or as a list in JSON."""

    child = RecipientSerializer()

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], str):
            data = data[0]
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise serializers.ValidationError("Danh sách nơi nhận phải là JSON.") from exc
        return super().to_internal_value(data)

    def to_representation(self, data):
        return super().to_representation(data.all() if hasattr(data, "all") else data)


class DocumentSerializer(serializers.ModelSerializer):
    files = DocumentFileSerializer(many=True, read_only=True)
    recipients = RecipientsField(required=False)
    number_notation = serializers.CharField(read_only=True)
    # Empty files pass the form: intake refuses them with its own code (empty_file).
    file = serializers.FileField(write_only=True, required=False, allow_empty_file=True,
                                 help_text="Main file (tệp chính)")
    appendices = serializers.ListField(child=serializers.FileField(allow_empty_file=True), write_only=True,
                                       required=False)
    attachments = serializers.ListField(child=serializers.FileField(allow_empty_file=True), write_only=True,
                                        required=False)

    class Meta:
        model = Document
        fields = [
            "id", "agency", "unit", "kind", "type_name", "code_number", "code_notation", "number_notation",
            "issued_date", "organ_name", "subject", "language", "page_amount", "description",
            "signer_position", "signer_full_name", "priority", "due_date", "arrival_date", "arrival_number",
            "to_places", "issued_amount", "recipients", "files", "created_at", "updated_at",
            "file", "appendices", "attachments",
        ]
        read_only_fields = ["agency", "created_at", "updated_at"]

    def validate_unit(self, unit):
        request = self.context["request"]
        if unit is not None and unit.agency_id != request.user.agency_id:
            raise serializers.ValidationError("Đơn vị không thuộc cơ quan của bạn.")
        return unit


class DocumentViewSet(AgencyScopedMixin, viewsets.ModelViewSet):
    queryset = Document.objects.select_related("agency", "unit").prefetch_related(
        "files__blob", "files__signatures", "recipients"
    )
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        queryset = super().get_queryset()
        params = self.request.query_params
        if kind := params.get("kind"):
            queryset = queryset.filter(kind=kind)
        if sha := params.get("sha256"):
            queryset = queryset.filter(files__blob__sha256=sha.lower()).distinct()
        return queryset

    def retrieve(self, request, *args, **kwargs):
        document = self.get_object()
        services.record_view(document, request=request)
        return Response(self.get_serializer(document).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if self.request.user.agency is None:
            raise HosoError("Tài khoản không thuộc cơ quan nào.", code="no_agency", status=403)
        files = []
        if main := data.pop("file", None):
            files.append((main, main.name, DocumentFile.Role.MAIN))
        files += [(f, f.name, DocumentFile.Role.APPENDIX) for f in data.pop("appendices", [])]
        files += [(f, f.name, DocumentFile.Role.ATTACHMENT) for f in data.pop("attachments", [])]
        recipients = data.pop("recipients", [])
        serializer.instance = self.create_record(files=files, recipients=recipients, **data)

    def create_record(self, **fields):
        """Store a new record; intake (ingest.api) replaces this with its pipeline."""
        return services.create_document(
            agency=self.request.user.agency, actor=self.request.user, request=self.request, **fields
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        for field in ("file", "appendices", "attachments", "recipients"):
            if data.pop(field, None):
                raise HosoError("Không sửa tệp hoặc nơi nhận qua thao tác này.", code="read_only_field",
                                detail=field)
        serializer.instance = services.update_document(
            serializer.instance, actor=self.request.user, request=self.request, **data
        )

    def perform_destroy(self, instance):
        services.delete_document(instance, actor=self.request.user, request=self.request)

    @extend_schema(
        responses={(200, "application/octet-stream"): bytes},
        parameters=[OpenApiParameter("inline", bool, description="Show a PDF in the browser instead of saving")],
    )
    @action(detail=True, methods=["get"], url_path=r"files/(?P<file_id>\d+)/download")
    def download(self, request, pk=None, file_id=None):
        """The file's bytes, exactly as stored."""
        document = self.get_object()
        document_file = document.files.select_related("blob", "document").filter(pk=file_id).first()
        if document_file is None:
            raise HosoError("Không tìm thấy tệp.", code="not_found", status=404)
        return serving.file_response(document_file, inline=request.query_params.get("inline") in {"1", "true"},
                                     request=request)
