"""REST API for routing: registers, the incoming and outgoing queues with their state actions,
delegations. Every query is scoped to the caller's agency; role checks live in the state machines."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts.api import AgencyScopedMixin
from accounts.roles import Role
from casefiles.models import CaseFile, Document

from . import deadlines, incoming, outgoing, registers, reports
from .models import Delegation, Handler, Incoming, Outgoing, Register, RegisterEntry, Trace

User = get_user_model()


class ScopedQueueMixin(AgencyScopedMixin):
    agency_field = "document__agency"
    permission_classes = [permissions.IsAuthenticated]


def agency_people(request):
    return User.objects.filter(agency_id=request.user.agency_id, is_active=True)


def agency_case_files(request):
    return CaseFile.objects.filter(agency_id=request.user.agency_id)


class PersonField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return agency_people(self.context["request"])


class CaseFileField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return agency_case_files(self.context["request"])


class TraceSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default="")
    on_behalf_of = serializers.CharField(source="on_behalf_of.username", default=None)

    class Meta:
        model = Trace
        fields = ["time", "actor", "on_behalf_of", "action", "state_from", "state_to", "comment"]


class HandlerSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.full_name")

    class Meta:
        model = Handler
        fields = ["user", "username", "full_name", "role", "deadline", "acknowledged_at", "completed_at", "comment"]


class DocumentSummarySerializer(serializers.ModelSerializer):
    number_notation = serializers.CharField()

    class Meta:
        model = Document
        fields = ["id", "kind", "type_name", "number_notation", "issued_date", "organ_name", "subject", "priority",
                  "due_date", "arrival_number", "arrival_date", "recalled_at"]


class IncomingSerializer(serializers.ModelSerializer):
    document = DocumentSummarySerializer(read_only=True)
    handlers = HandlerSerializer(many=True, read_only=True)
    traces = TraceSerializer(source="document.traces", many=True, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Incoming
        fields = ["id", "document", "state", "presented_to", "lead", "lead_unit", "deadline", "instruction",
                  "completed_at", "case_file", "source", "overdue", "handlers", "traces"]

    def get_overdue(self, obj) -> bool:
        return deadlines.is_overdue(obj.deadline, obj.completed_at)


class ConsultationSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user_id")
    username = serializers.CharField(source="user.username")
    comment = serializers.CharField()
    answered_at = serializers.DateTimeField()


class OutgoingSerializer(serializers.ModelSerializer):
    document = DocumentSummarySerializer(read_only=True)
    document_id = serializers.PrimaryKeyRelatedField(source="document", write_only=True,
                                                     queryset=Document.objects.none())
    consultations = ConsultationSerializer(many=True, read_only=True)
    traces = TraceSerializer(source="document.traces", many=True, read_only=True)

    class Meta:
        model = Outgoing
        fields = ["id", "document", "document_id", "state", "drafter", "unit_head", "signer", "legal", "case_file",
                  "issued_at", "consultations", "traces"]
        read_only_fields = ["state", "drafter", "unit_head", "signer", "case_file", "issued_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["document_id"].queryset = Document.objects.filter(agency_id=request.user.agency_id,
                                                                     kind=Document.Kind.ISSUED)
        return fields


# Inputs of the state actions: one small serializer each.
class Empty(serializers.Serializer):
    pass


class Comment(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RequiredReason(serializers.Serializer):
    reason = serializers.CharField()


class RegisterInput(serializers.Serializer):
    accept_duplicate = serializers.BooleanField(default=False)


class PresentInput(Comment):
    leader = PersonField()


class AssignInput(serializers.Serializer):
    lead = PersonField()
    co_handlers = PersonField(many=True, required=False, default=list)
    deadline = serializers.DateField(required=False, allow_null=True)
    instruction = serializers.CharField(required=False, allow_blank=True, default="")


class TextInput(serializers.Serializer):
    text = serializers.CharField()


class FileInput(serializers.Serializer):
    case_file = CaseFileField()


class ConsultInput(Comment):
    people = PersonField(many=True)


class SubmitInput(Comment):
    unit_head = PersonField()


class InitialInput(Comment):
    signer = PersonField()


class IssueInput(serializers.Serializer):
    case_file = CaseFileField(required=False, allow_null=True, default=None)


def _call(function, **renames):
    """Adapt validated input to a state-machine function's keyword arguments."""
    def run(obj, actor, data, request):
        kwargs = {renames.get(k, k): v for k, v in data.items()}
        return function(obj, actor, request=request, **kwargs)
    return run


INCOMING_ACTIONS = {
    "register": (RegisterInput, _call(incoming.register)),
    "refuse": (RequiredReason, _call(incoming.refuse)),
    "present": (PresentInput, _call(incoming.present)),
    "assign": (AssignInput, _call(incoming.assign)),
    "acknowledge": (Empty, _call(incoming.acknowledge)),
    "comment": (TextInput, _call(incoming.comment)),
    "complete": (Comment, _call(incoming.complete, comment="result")),
    "file": (FileInput, _call(incoming.file_into)),
}
OUTGOING_ACTIONS = {
    "consult": (ConsultInput, _call(outgoing.consult, comment="note")),
    "answer": (TextInput, _call(outgoing.answer, text="comment")),
    "submit": (SubmitInput, _call(outgoing.submit, comment="note")),
    "initial": (InitialInput, _call(outgoing.initial, comment="note")),
    "return": (TextInput, _call(outgoing.return_draft, text="comment")),
    "approve": (Comment, _call(outgoing.approve, comment="note")),
    "number": (Empty, _call(outgoing.number)),
    "issue": (IssueInput, _call(outgoing.issue)),
    "recall": (RequiredReason, _call(outgoing.recall)),
}


class StateActionsMixin:
    """POST {queue}/{id}/{action}/ runs one transition of the state machine."""

    actions: dict = {}

    def _run(self, request, name):
        input_class, run = self.actions[name]
        obj = self.get_object()
        serializer = input_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        run(obj, request.user, serializer.validated_data, request)
        obj.refresh_from_db()
        return Response(self.get_serializer(obj).data)


def _state_action(name, input_class):
    @extend_schema(request=input_class, operation_id=None)
    def view(self, request, pk=None):
        return self._run(request, name)
    view.__name__ = name.replace("-", "_") + "_action"
    view.__doc__ = f"Transition “{name}”."
    return action(detail=True, methods=["post"], url_path=name)(view)


class IncomingViewSet(StateActionsMixin, ScopedQueueMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """The incoming queue (văn bản đến). Filters: state, mine=1 (my work), due=near|overdue."""

    queryset = Incoming.objects.select_related("document").prefetch_related("handlers__user", "document__traces")
    serializer_class = IncomingSerializer
    actions = INCOMING_ACTIONS

    def get_queryset(self):
        queryset = super().get_queryset()
        params = self.request.query_params
        if state := params.get("state"):
            queryset = queryset.filter(state=state)
        if params.get("mine") in {"1", "true"}:
            user = self.request.user
            queryset = queryset.filter(Q(handlers__user=user) | Q(presented_to=user)).distinct()
        if due := params.get("due"):
            queryset = deadlines.filter_due(queryset, due)
        return queryset


for _name, (_input, _run) in INCOMING_ACTIONS.items():
    setattr(IncomingViewSet, _name + "_action", _state_action(_name, _input))


class OutgoingViewSet(StateActionsMixin, ScopedQueueMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The outgoing queue (văn bản đi): create from an uploaded draft (an issued-kind document), then act."""

    queryset = Outgoing.objects.select_related("document").prefetch_related("consultations__user",
                                                                            "document__traces")
    serializer_class = OutgoingSerializer
    actions = OUTGOING_ACTIONS

    def get_queryset(self):
        queryset = super().get_queryset()
        if state := self.request.query_params.get("state"):
            queryset = queryset.filter(state=state)
        return queryset

    def perform_create(self, serializer):
        document = serializer.validated_data["document"]
        serializer.instance = outgoing.start(document, self.request.user)
        if serializer.validated_data.get("legal"):
            Outgoing.objects.filter(pk=serializer.instance.pk).update(legal=True)
            serializer.instance.legal = True


for _name, (_input, _run) in OUTGOING_ACTIONS.items():
    setattr(OutgoingViewSet, _name + "_action", _state_action(_name, _input))


class RegisterEntrySerializer(serializers.ModelSerializer):
    document = DocumentSummarySerializer(read_only=True)

    class Meta:
        model = RegisterEntry
        fields = ["id", "number", "document", "assigned_at", "cancelled_at", "cancel_reason"]


class RegisterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Register
        fields = ["id", "year", "kind", "last_number"]


# ?from=&to= (default: the register's year, or the current one) and ?as=json|xlsx|pdf ("format" is DRF's).
ReportInput = type("ReportInput", (serializers.Serializer,), {
    "from": serializers.DateField(required=False), "to": serializers.DateField(required=False),
    "as": serializers.ChoiceField(choices=["json", *reports.FORMATS], default="json"),
})
HandlingReportInput = type("HandlingReportInput", (ReportInput,), {
    "kind": serializers.ChoiceField(choices=list(reports.HANDLING))})
REPORT_RESPONSES = {200: dict, **{(200, content_type): bytes for _, content_type, _ in reports.FORMATS.values()}}


def report_response(report, fmt):
    return Response(reports.as_json(report)) if fmt == "json" else reports.file_response(report, fmt)


def report_input(request, input_class=ReportInput):
    data = input_class(data=request.query_params)
    data.is_valid(raise_exception=True)
    return data.validated_data


class RegisterViewSet(AgencyScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """Registers (sổ đăng ký) of the agency, their entries, and cancelling a number."""

    queryset = Register.objects.all()
    serializer_class = RegisterSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=RegisterEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None):
        register = self.get_object()
        entries = register.entries.select_related("document")
        return Response(RegisterEntrySerializer(entries, many=True).data)

    @extend_schema(request=RequiredReason, responses=RegisterEntrySerializer)
    @action(detail=True, methods=["post"], url_path=r"entries/(?P<number>\d+)/cancel")
    def cancel(self, request, pk=None, number=None):
        if not request.user.has_role(Role.CLERK, Role.ADMIN):
            raise PermissionDenied
        register = self.get_object()
        entry = get_object_or_404(register.entries, number=number)
        data = RequiredReason(data=request.data)
        data.is_valid(raise_exception=True)
        registers.cancel_number(entry, reason=data.validated_data["reason"], actor=request.user)
        return Response(RegisterEntrySerializer(entry).data)

    @extend_schema(parameters=[ReportInput], responses=REPORT_RESPONSES)
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """The register (Decree 30 Appendix IV, 10 columns) for a period: JSON, ?as=xlsx or ?as=pdf."""
        register = self.get_object()
        data = report_input(request)
        return report_response(reports.register_report(register, data.get("from"), data.get("to")), data["as"])


class DelegationSerializer(serializers.ModelSerializer):
    delegate = PersonField()

    class Meta:
        model = Delegation
        fields = ["id", "leader", "delegate", "starts_on", "ends_on", "note", "revoked_at"]
        read_only_fields = ["leader", "revoked_at"]

    def validate(self, data):
        if data["ends_on"] < data["starts_on"]:
            raise serializers.ValidationError("Thời hạn ủy quyền không hợp lệ.")
        return data


class DelegationViewSet(AgencyScopedMixin, mixins.ListModelMixin, mixins.CreateModelMixin,
                        mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A leader delegates assignment and supervision to a named person for a period (ủy quyền)."""

    queryset = Delegation.objects.select_related("leader", "delegate")
    serializer_class = DelegationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def perform_create(self, serializer):
        if not self.request.user.has_role(Role.LEADER):
            raise PermissionDenied
        serializer.save(agency_id=self.request.user.agency_id, leader=self.request.user)

    @extend_schema(request=Empty, responses=DelegationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        delegation = self.get_object()
        if delegation.leader_id != request.user.pk:
            raise PermissionDenied
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        return Response(DelegationSerializer(delegation, context=self.get_serializer_context()).data,
                        status=status.HTTP_200_OK)


class DashboardView(viewsets.ViewSet):
    """The leader's dashboard: pending, near-due, overdue and done per agency, unit and person."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: dict})
    def list(self, request):
        if not request.user.has_role(Role.LEADER, Role.UNIT_HEAD, Role.ADMIN) or request.user.agency is None:
            raise PermissionDenied
        return Response(deadlines.dashboard(request.user.agency))


class HandlingReportView(viewsets.ViewSet):
    """Reports on the handling of incoming or outgoing documents for a period, per unit and per person."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[HandlingReportInput], responses=REPORT_RESPONSES)
    def list(self, request):
        if not request.user.has_role(*reports.READERS) or request.user.agency is None:
            raise PermissionDenied
        data = report_input(request, HandlingReportInput)
        report = reports.handling_report(request.user.agency, data["kind"], data.get("from"), data.get("to"))
        return report_response(report, data["as"])
