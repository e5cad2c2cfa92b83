"""Search API: staff search, public search, suggestions, exports and saved searches.

    GET /api/v1/search/?q=...&year=...&page=...       staff: own agency, as the role allows
    GET /api/v1/search/suggest/?q=...                  completions
    GET /api/v1/search/export/?q=...&output=xlsx|pdf&columns=title,date
    GET|POST /api/v1/search/saved/, DELETE /api/v1/search/saved/<id>/
    GET /api/v1/public/search/?q=...                   anyone: public records the archive accepted
"""

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import HosoError

from . import exports, services
from .forms import SearchForm
from .models import SavedQuery

PARAMETERS = [OpenApiParameter(name, str, description=field.label) for name, field in SearchForm.base_fields.items()]


def _facets_wanted(request):
    return request.query_params.get("facets", "1") not in {"0", "false", "no"}


class SearchView(APIView):
    """Full-text search of documents and case files, with filters, facets and highlighted snippets."""

    public = False
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=PARAMETERS, responses={200: dict}, tags=["search"])
    def get(self, request):
        params = services.read_params(request.query_params)
        results = services.search(request.user, params, public=self.public, with_facets=_facets_wanted(request))
        return Response(results.as_dict())


class PublicSearchView(SearchView):
    """Search open to everyone: only records whose access regime is public, in case files the agency
    archive accepted."""

    public = True
    permission_classes = [permissions.AllowAny]
    authentication_classes = []


class SuggestView(APIView):
    public = False
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("q", str)], responses={200: dict}, tags=["search"])
    def get(self, request):
        found = services.suggest(request.user, request.query_params.get("q", ""), public=self.public)
        return Response({"results": found})


class PublicSuggestView(SuggestView):
    public = True
    permission_classes = [permissions.AllowAny]
    authentication_classes = []


class ExportView(APIView):
    """The whole result list (up to 5,000 rows) as XLSX or PDF, with the chosen columns."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[*PARAMETERS, OpenApiParameter("output", str, enum=["xlsx", "pdf"]),
                               OpenApiParameter("columns", str)], responses={200: bytes}, tags=["search"])
    def get(self, request):
        return export_response(request.user, request.query_params)


def export_response(user, data):
    fmt = data.get("output", "xlsx")
    if fmt not in exports.FORMATS:
        raise HosoError("Định dạng xuất không được hỗ trợ (xlsx hoặc pdf).", code="invalid_format")
    params = services.read_params(data)
    columns = exports.read_columns(data.get("columns", ""))
    rows = services.export_hits(user, params)
    content, content_type = exports.FORMATS[fmt](rows, columns, params.get("q", ""))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ket-qua-tim-kiem.{fmt}"'
    return response


class SavedQuerySerializer(serializers.ModelSerializer):
    class Meta:
        model = SavedQuery
        fields = ["id", "name", "query", "filters", "columns", "created_at"]
        read_only_fields = ["created_at"]

    def validate_filters(self, filters):
        if not isinstance(filters, dict):
            raise serializers.ValidationError("Bộ lọc phải là một đối tượng JSON.")
        form = SearchForm({k: v for k, v in filters.items() if k in SearchForm.FILTERS + ["agency", "sort"]})
        if not form.is_valid():
            raise serializers.ValidationError(form.errors.get_json_data())
        return {k: v for k, v in filters.items() if k in form.cleaned_data and v not in (None, "")}

    def validate_columns(self, columns):
        return exports.read_columns(",".join(columns) if isinstance(columns, list) else str(columns))

    def validate_name(self, name):
        user = self.context["request"].user
        clash = SavedQuery.objects.filter(user=user, name=name.strip())
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError("Đã có truy vấn lưu cùng tên.")
        return name.strip()


@extend_schema(tags=["search"])
class SavedQueryViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                        mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """A person's saved searches (their own only)."""

    serializer_class = SavedQuerySerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = SavedQuery.objects.all()

    def get_queryset(self):
        return super().get_queryset().filter(user=self.request.user)

    def perform_create(self, serializer):
        serializer.save(user=self.request.user)
