"""The upload channel: POST /api/v1/documents/ runs every file through the intake pipeline."""

from rest_framework import serializers

from casefiles import api as casefiles_api

from . import services


class DocumentSerializer(casefiles_api.DocumentSerializer):
    duplicate_of = serializers.SerializerMethodField()

    class Meta(casefiles_api.DocumentSerializer.Meta):
        fields = [*casefiles_api.DocumentSerializer.Meta.fields, "duplicate_of"]

    def get_duplicate_of(self, obj) -> list[int]:
        """Other documents of the agency that already held the same bytes (linked, not stored again)."""
        return self.context.get("duplicate_of", [])


class DocumentViewSet(casefiles_api.DocumentViewSet):
    serializer_class = DocumentSerializer

    def create_record(self, files, recipients, **metadata):
        result = services.ingest_document(
            self.request.user.agency, [(f, name, role) for f, name, role in files],
            actor=self.request.user, request=self.request, recipients=recipients, **metadata,
        )
        self.duplicate_of = result.duplicate_of
        return result.document

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "duplicate_of": getattr(self, "duplicate_of", [])}
