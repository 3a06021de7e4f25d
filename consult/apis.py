"""REST API of the consult app: consultations with their documents and phases (read-only, public)."""
from __future__ import annotations

from rest_framework import serializers, viewsets

from consult import selectors
from consult.models import Consultation, Phase


class PhaseSerializer(serializers.ModelSerializer):
    version = serializers.PrimaryKeyRelatedField(read_only=True)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Phase
        fields = ["id", "kind", "title", "version", "opens_at", "closes_at", "state"]


class ConsultationSerializer(serializers.ModelSerializer):
    phases = PhaseSerializer(many=True, read_only=True)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = ["id", "slug", "title", "description", "status", "languages", "starts_on", "ends_on", "documents", "phases"]

    def get_documents(self, consultation) -> list[str]:
        return [link.document.slug for link in consultation.document_links.all()]


class ConsultationViewSet(viewsets.ReadOnlyModelViewSet):
    """Public consultations, each with the documents it covers (by slug) and its phases."""

    serializer_class = ConsultationSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.consultation_list().prefetch_related("document_links__document")
