"""REST API for signing keys: the agency's administrator installs and lists them (never their secrets).

Register it with ``router.register("signing-keys", SigningKeyViewSet, basename="signing-key")``.
"""

from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from accounts.errors import HosoError
from accounts.models import User
from accounts.roles import Role

from . import keys
from .models import SigningKey


class IsAgencyAdmin(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.agency_id and user.has_role(Role.ADMIN))


class SigningKeySerializer(serializers.ModelSerializer):
    has_image = serializers.SerializerMethodField()

    class Meta:
        model = SigningKey
        fields = ["id", "agency", "user", "subject", "issuer", "not_after", "active", "has_image", "created_at"]
        read_only_fields = fields

    def get_has_image(self, key) -> bool:
        return key.image_id is not None


class InstallSerializer(serializers.Serializer):
    p12 = serializers.FileField(help_text="PKCS#12 file (.p12, .pfx)")
    password = serializers.CharField(allow_blank=True, trim_whitespace=False, style={"input_type": "password"})
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True,
                                              help_text="The person; empty for the agency's own key")
    image = serializers.FileField(required=False, help_text="Signature (person) or seal (agency): PNG, transparent")


class SigningKeyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    """The signing keys of the caller's agency; installing one replaces the holder's active key."""

    serializer_class = SigningKeySerializer
    permission_classes = [IsAgencyAdmin]
    queryset = SigningKey.objects.none()  # for the schema; get_queryset scopes to the agency

    def get_queryset(self):
        return SigningKey.objects.filter(agency_id=self.request.user.agency_id).select_related("user")

    def get_serializer_class(self):
        return InstallSerializer if self.action == "create" else SigningKeySerializer

    def create(self, request, *args, **kwargs):
        form = InstallSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        user = data.get("user")
        if user is not None and user.agency_id != request.user.agency_id:
            raise HosoError("Không tìm thấy người dùng.", code="not_found", status=404)
        image = data.get("image")
        key = keys.install_key(request.user.agency, data["p12"].read(), data["password"], user=user,
                               image_bytes=image.read() if image is not None else None, actor=request.user)
        return Response(SigningKeySerializer(key).data, status=status.HTTP_201_CREATED)
