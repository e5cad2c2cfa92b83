"""REST API for agencies, units and people, scoped to the caller's agency."""

from django.contrib.auth.models import Group
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from . import audit, services
from .models import Agency, Unit, User
from .roles import Role


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions (granted through role groups), reads included."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class AgencyScopedMixin:
    """Limit a viewset's queryset to the caller's agency; others' objects answer 404."""

    agency_field = "agency"
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if user.is_superuser:
            return queryset
        if user.agency_id is None:
            return queryset.none()
        return queryset.filter(**{f"{self.agency_field}_id": user.agency_id})


class AgencySerializer(serializers.ModelSerializer):
    hostname = serializers.CharField(read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "identifier", "name", "abbreviation", "parent", "address", "hostname"]
        read_only_fields = ["identifier", "abbreviation", "parent"]


class AgencyViewSet(AgencyScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = Agency.objects.all()
    serializer_class = AgencySerializer
    agency_field = ""

    def get_queryset(self):
        user = self.request.user
        if user.is_superuser:
            return Agency.objects.all()
        return Agency.objects.filter(pk=user.agency_id) if user.agency_id else Agency.objects.none()


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "agency", "name", "code"]
        read_only_fields = ["agency"]

    def validate_name(self, name):
        agency_id = self.instance.agency_id if self.instance else self.context["request"].user.agency_id
        clash = Unit.objects.filter(agency_id=agency_id, name__iexact=name.strip())
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError("Đơn vị cùng tên đã có trong cơ quan.")
        return name.strip()


class UnitViewSet(AgencyScopedMixin, viewsets.ModelViewSet):
    queryset = Unit.objects.select_related("agency")
    serializer_class = UnitSerializer

    def perform_create(self, serializer):
        with transaction.atomic():
            unit = serializer.save(agency_id=self.request.user.agency_id)
            audit.record(audit.CREATE, unit, request=self.request)

    def perform_update(self, serializer):
        with transaction.atomic():
            unit = serializer.save()
            audit.record(audit.UPDATE, unit, request=self.request)

    def perform_destroy(self, instance):
        with transaction.atomic():
            audit.record(audit.DELETE, instance, request=self.request)
            instance.delete()


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.MultipleChoiceField(choices=Role.choices, required=False)
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "birth_year", "position", "email", "agency", "unit",
                  "roles", "is_active", "password"]
        read_only_fields = ["username", "agency"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["roles"] = sorted(instance.role_codes)
        return data

    def validate_unit(self, unit):
        agency_id = self.context["request"].user.agency_id
        if unit is not None and unit.agency_id != agency_id:
            raise serializers.ValidationError("Đơn vị không thuộc cơ quan của bạn.")
        return unit


class UserViewSet(AgencyScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = User.objects.select_related("agency", "unit").prefetch_related("groups")
    serializer_class = UserSerializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.create_person(
            full_name=data["full_name"], agency=self.request.user.agency, unit=data.get("unit"),
            roles=data.get("roles", ()), birth_year=data.get("birth_year"), position=data.get("position", ""),
            email=data.get("email", ""), password=data.get("password"), actor=self.request.user,
            client_address=audit.request_address(self.request),
        )

    def perform_update(self, serializer):
        with transaction.atomic():
            data = dict(serializer.validated_data)
            roles = data.pop("roles", None)
            password = data.pop("password", None)
            user = serializer.save(**data)
            if roles is not None:
                user.groups.set(Group.objects.filter(name__in=list(roles)))
            if password:
                user.set_password(password)
                user.save(update_fields=["password"])
            audit.record(audit.UPDATE, user, request=self.request,
                         detail={"fields": sorted(k for k in serializer.validated_data if k != "password")})


@extend_schema(request=AuthTokenSerializer, tags=["auth"])
class TokenView(ObtainAuthToken):
    """POST username and password, receive a token for the Authorization header ('Token <key>')."""
