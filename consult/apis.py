"""REST API of the consult app: consultations with their documents and phases (read-only, public); following provisions."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from consult import selectors, services
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


class FollowSerializer(serializers.Serializer):
    """A provision you follow, as it stands in the newest public version that has it."""

    lineage = serializers.IntegerField(help_text="The provision's identity across versions.")
    document = serializers.CharField(allow_null=True, help_text="The document's slug.")
    version = serializers.IntegerField(allow_null=True, help_text="The newest public version that has the provision.")
    provision = serializers.IntegerField(allow_null=True, help_text="The provision's id in that version.")
    provision_path = serializers.CharField(allow_null=True)
    followed_at = serializers.DateTimeField()

    def to_representation(self, item: selectors.FollowedProvision) -> dict:
        provision = item.provision
        return {
            "lineage": item.follow.lineage_id,
            "document": provision.version.document.slug if provision else None,
            "version": provision.version.number if provision else None,
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


class FollowStateSerializer(serializers.Serializer):
    provision = serializers.IntegerField()
    lineage = serializers.IntegerField()
    following = serializers.BooleanField()


class ProvisionFollowView(APIView):
    """Follow a published provision through its versions (POST), or stop following it (DELETE). Both are
    idempotent. Following needs a signed-in account with a confirmed e-mail address (403, code
    email_unverified, otherwise): the notices of new drafts are sent to it."""

    permission_classes = [permissions.AllowAny]  # the services say why not, with a specific code

    @extend_schema(request=None, responses={201: FollowStateSerializer}, operation_id="provisions_follow_create")
    def post(self, request, provision_id: int):
        follow = services.provision_follow(user=request.user, provision_id=provision_id)
        return Response({"provision": provision_id, "lineage": follow.lineage_id, "following": True}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, operation_id="provisions_follow_destroy")
    def delete(self, request, provision_id: int):
        services.provision_unfollow(user=request.user, provision_id=provision_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
