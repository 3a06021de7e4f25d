"""REST API of the consult app: consultations with their documents and phases (read-only, public); following provisions."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.openapi import field_examples
from consult import selectors, services
from consult.models import Consultation, Phase


@field_examples(
    id=3, kind="comment", title="Public comment on Draft 1", version=7, version_number=1,
    opens_at="2026-01-05T09:00:00+05:00", closes_at="2026-02-05T18:00:00+05:00", state="open",
)
class PhaseSerializer(serializers.ModelSerializer):
    version = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="The id of the version commented on during this phase, if any.")
    version_number = serializers.IntegerField(source="version.number", read_only=True, allow_null=True, help_text="That version's number.")
    state = serializers.CharField(read_only=True, help_text="upcoming, open or closed, now.")

    class Meta:
        model = Phase
        fields = ["id", "kind", "title", "version", "version_number", "opens_at", "closes_at", "state"]
        extra_kwargs = {
            "id": {"help_text": "The phase's id."},
            "kind": {"help_text": "Public comment, commission review or referendum."},
            "title": {"help_text": "The phase's title."},
            "opens_at": {"help_text": "When it opens."},
            "closes_at": {"help_text": "When it closes."},
        }


@field_examples(
    id=1, slug="tarvania-2026", title="Draft Constitution of Tarvania, 2026", description="The commission's draft, open for comment.",
    status="open", languages=["kk", "ru", "en"], starts_on="2026-01-05", ends_on="2026-03-15", documents=["constitution"],
)
class ConsultationSerializer(serializers.ModelSerializer):
    phases = PhaseSerializer(many=True, read_only=True, help_text="Its phases, in order.")
    documents = serializers.SerializerMethodField(help_text="The slugs of the documents it covers.")

    class Meta:
        model = Consultation
        fields = ["id", "slug", "title", "description", "status", "languages", "starts_on", "ends_on", "documents", "phases"]
        extra_kwargs = {
            "id": {"help_text": "The consultation's id."},
            "slug": {"help_text": "Its name in URLs and in the API's `consultation` fields and filters."},
            "title": {"help_text": "Its title."},
            "description": {"help_text": "What it is about."},
            "status": {"help_text": "Not yet open, open, closed or concluded."},
            "languages": {"help_text": "The languages of the consultation (ISO 639-1)."},
            "starts_on": {"help_text": "Its first day."},
            "ends_on": {"help_text": "Its last day."},
        }

    def get_documents(self, consultation) -> list[str]:
        return [link.document.slug for link in consultation.document_links.all()]


class ConsultationViewSet(viewsets.ReadOnlyModelViewSet):
    """Public consultations, each with the documents it covers (by slug) and its phases."""

    serializer_class = ConsultationSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.consultation_list().prefetch_related("document_links__document")


@field_examples(
    lineage=311, document="constitution", version=9, version_number=2, provision=2345, provision_path="II/25/1",
    followed_at="2026-01-12T09:45:00+05:00",
)
class FollowSerializer(serializers.Serializer):
    """A provision you follow, as it stands in the newest public version that has it."""

    lineage = serializers.IntegerField(help_text="The provision's identity across versions.")
    document = serializers.CharField(allow_null=True, help_text="The document's slug.")
    version = serializers.IntegerField(allow_null=True, help_text="The id of the newest public version that has the provision.")
    version_number = serializers.IntegerField(allow_null=True, help_text="That version's number.")
    provision = serializers.IntegerField(allow_null=True, help_text="The provision's id in that version.")
    provision_path = serializers.CharField(allow_null=True, help_text="The provision's place in that version.")
    followed_at = serializers.DateTimeField(help_text="When you started following it.")

    def to_representation(self, item: selectors.FollowedProvision) -> dict:
        provision = item.provision
        return {
            "lineage": item.follow.lineage_id,
            "document": provision.version.document.slug if provision else None,
            "version": provision.version_id if provision else None,
            "version_number": provision.version.number if provision else None,
            "provision": provision.pk if provision else None,
            "provision_path": provision.path if provision else None,
            "followed_at": item.follow.created_at.isoformat(),
        }


class FollowViewSet(viewsets.ViewSet):
    """The provisions you follow (sign in first): each new draft of their document is announced to you by e-mail."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=FollowSerializer(many=True))
    def list(self, request):
        return Response(FollowSerializer(selectors.provision_follows_of_user(user=request.user), many=True).data)


@field_examples(provision=1234, lineage=311, following=True)
class FollowStateSerializer(serializers.Serializer):
    provision = serializers.IntegerField(help_text="The provision's id.")
    lineage = serializers.IntegerField(help_text="Its identity across versions: what is followed.")
    following = serializers.BooleanField(help_text="Whether you follow it now.")


PROVISION_ID = OpenApiParameter("provision_id", int, OpenApiParameter.PATH, description="The id of a provision of a published version.")


class ProvisionFollowView(APIView):
    """Follow a published provision through its versions (POST), or stop following it (DELETE). Both are
    idempotent. Following needs a signed-in account with a confirmed e-mail address (403, code
    email_unverified, otherwise): the notices of new drafts are sent to it."""

    permission_classes = [permissions.AllowAny]  # the services say why not, with a specific code

    @extend_schema(request=None, responses={201: FollowStateSerializer}, operation_id="provisions_follow_create", parameters=[PROVISION_ID])
    def post(self, request, provision_id: int):
        follow = services.provision_follow(user=request.user, provision_id=provision_id)
        return Response({"provision": provision_id, "lineage": follow.lineage_id, "following": True}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, operation_id="provisions_follow_destroy", parameters=[PROVISION_ID])
    def delete(self, request, provision_id: int):
        services.provision_unfollow(user=request.user, provision_id=provision_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
