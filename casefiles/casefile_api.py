"""REST API for file plans and case files, scoped to the caller's agency."""

import datetime
import tempfile

from django.http import FileResponse, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts.api import AgencyScopedMixin
from accounts.roles import Role
from retention.models import RetentionKind

from . import filing, outputs, plans
from .models import AccessRegime, CaseFile, Document, FilePlan, PlanHeading, PlanItem


class RetentionSerializerMixin(serializers.Serializer):
    retention_label = serializers.CharField(read_only=True)


class PlanItemSerializer(RetentionSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = PlanItem
        fields = ["id", "heading", "number", "file_notation", "title", "retention_kind", "retention_years",
                  "retention_condition", "retention_label", "creator", "creator_name", "unit", "construction",
                  "note"]
        read_only_fields = ["number", "file_notation"]


class PlanHeadingSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = PlanHeading
        fields = ["id", "parent", "ordinal", "label", "abbreviation", "title"]
        read_only_fields = ["ordinal"]


class FilePlanSerializer(serializers.ModelSerializer):
    headings = PlanHeadingSerializer(many=True, read_only=True)
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = FilePlan
        fields = ["id", "agency", "year", "numbering", "status", "decision_number", "decision_date", "approved_at",
                  "headings", "items"]
        read_only_fields = ["agency", "status", "decision_number", "decision_date", "approved_at"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Required once the plan is approved (logged amendment)")


class NewHeadingSerializer(ReasonSerializer):
    title = serializers.CharField(max_length=300)
    parent = serializers.IntegerField(required=False, allow_null=True)
    abbreviation = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")


class NewItemSerializer(ReasonSerializer):
    heading = serializers.IntegerField()
    title = serializers.CharField(max_length=500)
    retention_kind = serializers.ChoiceField(RetentionKind.choices)
    retention_years = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=200)
    retention_condition = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    creator_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    construction = serializers.BooleanField(required=False, default=False)


class ApproveSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=50)
    decision_date = serializers.DateField()


class CopyPlanSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class ActionInputMixin:
    def _input(self, serializer_class):
        """The validated body of a custom action."""
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class FilePlanViewSet(ActionInputMixin, AgencyScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Danh mục hồ sơ: the agency's annual file plans with headings and items."""

    queryset = FilePlan.objects.prefetch_related("headings", "items")
    serializer_class = FilePlanSerializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = plans.create_plan(self.request.user.agency, data["year"],
                                                numbering=data.get("numbering", FilePlan.Numbering.CONTINUOUS),
                                                actor=self.request.user)

    def _plan_response(self, plan):
        plan.refresh_from_db()
        return Response(FilePlanSerializer(plan, context=self.get_serializer_context()).data)

    @extend_schema(request=NewHeadingSerializer, responses=FilePlanSerializer)
    @action(detail=True, methods=["post"], url_path="headings")
    def add_heading(self, request, pk=None):
        plan = self.get_object()
        data = self._input(NewHeadingSerializer)
        parent = get_object_or_404(plan.headings, pk=data["parent"]) if data.get("parent") else None
        plans.add_heading(plan, data["title"], parent=parent, abbreviation=data["abbreviation"],
                          actor=request.user, reason=data["reason"])
        return self._plan_response(plan)

    @extend_schema(request=NewItemSerializer, responses=FilePlanSerializer)
    @action(detail=True, methods=["post"], url_path="items")
    def add_item(self, request, pk=None):
        plan = self.get_object()
        data = self._input(NewItemSerializer)
        heading = get_object_or_404(plan.headings, pk=data["heading"])
        plans.add_item(plan, heading, data["title"], actor=request.user, reason=data["reason"],
                       retention=(data["retention_kind"], data.get("retention_years"), data["retention_condition"]),
                       creator_name=data["creator_name"], note=data["note"], construction=data["construction"])
        return self._plan_response(plan)

    @extend_schema(request=ApproveSerializer, responses=FilePlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve by the agency head's decision (leaders and administrators)."""
        if not request.user.has_role(Role.LEADER, Role.ADMIN):
            raise PermissionDenied
        plan = self.get_object()
        data = self._input(ApproveSerializer)
        plans.approve_plan(plan, actor=request.user, **data)
        return self._plan_response(plan)

    @extend_schema(request=CopyPlanSerializer, responses=FilePlanSerializer)
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """Start another year's plan from this one ("copy last year's plan")."""
        year = self._input(CopyPlanSerializer)["year"]
        plan = plans.copy_plan(self.get_object(), year, actor=request.user)
        return Response(FilePlanSerializer(plan, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        plan = self.get_object()
        return HttpResponse(outputs.plan_pdf(plan), content_type="application/pdf",
                            headers={"Content-Disposition": f'inline; filename="danh-muc-ho-so-{plan.year}.pdf"'})

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes})
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        plan = self.get_object()
        return HttpResponse(
            plans.export_xlsx(plan), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="danh-muc-ho-so-{plan.year}.xlsx"'})


class CaseFileSerializer(RetentionSerializerMixin, serializers.ModelSerializer):
    file_code = serializers.CharField(read_only=True)
    rights = serializers.SlugRelatedField(slug_field="code", queryset=AccessRegime.objects.all(), required=False)
    transfer_due_date = serializers.SerializerMethodField()

    class Meta:
        model = CaseFile
        fields = ["id", "file_code", "agency", "year", "file_notation", "plan_item", "title", "retention_kind",
                  "retention_years", "retention_condition", "retention_label", "rights", "creator", "creator_name",
                  "unit", "language", "start_date", "end_date", "doc_total", "page_total", "description", "status",
                  "closed_at", "construction", "settlement_date", "held_until", "hold_approval",
                  "transfer_due_date"]
        read_only_fields = ["agency", "year", "doc_total", "page_total", "status", "closed_at", "creator",
                            "held_until", "hold_approval"]
        extra_kwargs = {"file_notation": {"required": False}, "title": {"required": False},
                        "start_date": {"required": False}, "creator_name": {"required": False}}

    def get_transfer_due_date(self, obj) -> datetime.date | None:
        return filing.effective_due_date(obj)

    def validate_plan_item(self, item):
        if item is not None and item.plan.agency_id != self.context["request"].user.agency_id:
            raise serializers.ValidationError("Mục hồ sơ không thuộc cơ quan của bạn.")
        return item


class EntrySerializer(serializers.Serializer):
    ordinal = serializers.IntegerField()
    identifier = serializers.CharField()
    document = serializers.IntegerField(source="document_id")
    number_notation = serializers.CharField(source="document.number_notation")
    issued_date = serializers.DateField(source="document.issued_date")
    subject = serializers.CharField(source="document.subject")


class DocumentRefSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    end_date = serializers.DateField(required=False)
    retention_confirmed = serializers.BooleanField(default=False)
    retention_kind = serializers.ChoiceField(RetentionKind.choices, required=False)
    retention_years = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=200)
    retention_condition = serializers.CharField(required=False, allow_blank=True, default="")


class CaseFileViewSet(ActionInputMixin, AgencyScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Case files: open (create), add-document, remove-document, close, reopen, export."""

    queryset = CaseFile.objects.select_related("agency", "rights", "plan_item")
    serializer_class = CaseFileSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        params = self.request.query_params
        if state := params.get("status"):
            queryset = queryset.filter(status=state)
        if params.get("mine") in {"1", "true"}:
            queryset = queryset.filter(creator=self.request.user)
        if year := params.get("year"):
            queryset = queryset.filter(year=year) if year.isdigit() else queryset.none()
        return queryset

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.setdefault("creator", self.request.user)
        serializer.instance = filing.open_case_file(agency=self.request.user.agency, actor=self.request.user,
                                                    request=self.request, **data)

    def _document(self, case_file, document_id):
        return get_object_or_404(Document.objects.filter(agency_id=case_file.agency_id), pk=document_id)

    def _respond(self, case_file):
        case_file.refresh_from_db()
        return Response(CaseFileSerializer(case_file, context=self.get_serializer_context()).data)

    @extend_schema(responses=EntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def documents(self, request, pk=None):
        """The file's documents in chronological order."""
        return Response(EntrySerializer(filing.chronological_entries(self.get_object()), many=True).data)

    @extend_schema(request=DocumentRefSerializer, responses=EntrySerializer)
    @action(detail=True, methods=["post"], url_path="add-document")
    def add_document(self, request, pk=None):
        case_file = self.get_object()
        document = self._document(case_file, self._input(DocumentRefSerializer)["document"])
        entry = filing.add_document(case_file, document, actor=request.user, request=request)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DocumentRefSerializer, responses=CaseFileSerializer)
    @action(detail=True, methods=["post"], url_path="remove-document")
    def remove_document(self, request, pk=None):
        case_file = self.get_object()
        data = self._input(DocumentRefSerializer)
        filing.remove_document(case_file, self._document(case_file, data["document"]), reason=data["reason"],
                               actor=request.user, request=request)
        return self._respond(case_file)

    @extend_schema(request=CloseSerializer, responses=CaseFileSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case_file = self.get_object()
        data = self._input(CloseSerializer)
        retention = None
        if data.get("retention_kind"):
            retention = (data["retention_kind"], data.get("retention_years"), data["retention_condition"])
        filing.close_case_file(case_file, actor=request.user, request=request, end_date=data.get("end_date"),
                               retention=retention, retention_confirmed=data["retention_confirmed"])
        return self._respond(case_file)

    @extend_schema(request=ReasonSerializer, responses=CaseFileSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        case_file = self.get_object()
        filing.reopen_case_file(case_file, actor=request.user, reason=self._input(ReasonSerializer)["reason"],
                                request=request)
        return self._respond(case_file)

    @extend_schema(responses={(200, "application/zip"): bytes})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """ZIP with the files, metadata XML and JSON, the document list PDF and a SHA-256 manifest."""
        case_file = self.get_object()
        spool = tempfile.TemporaryFile()
        outputs.export_zip(case_file, spool)
        spool.seek(0)
        return FileResponse(spool, as_attachment=True, filename=f"{case_file.file_code}.zip",
                            content_type="application/zip")

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], url_path="document-list")
    def document_list(self, request, pk=None):
        """Mục lục văn bản as PDF (default) or XML (?as=xml)."""
        case_file = self.get_object()
        if request.query_params.get("as") == "xml":
            return HttpResponse(outputs.case_file_xml(case_file), content_type="application/xml; charset=utf-8")
        return HttpResponse(outputs.document_list_pdf(case_file), content_type="application/pdf",
                            headers={"Content-Disposition": 'inline; filename="muc-luc-van-ban.pdf"'})
