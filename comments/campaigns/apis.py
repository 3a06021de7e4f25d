"""REST API of campaigns: the form letters found among a consultation's comments, each as one group."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

from comments.campaigns import selectors
from comments.models import Campaign
from consult import selectors as consult_selectors


class CampaignSerializer(serializers.ModelSerializer):
    template = serializers.CharField(source="template_comment.body", read_only=True)
    comments = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "size", "template", "template_comment", "comments", "first_seen", "last_seen"]

    def get_comments(self, campaign) -> list[int]:
        return [fingerprint.comment_id for fingerprint in campaign.fingerprints.all()]


class CampaignViewSet(viewsets.GenericViewSet):
    """Campaigns, largest first: each comment keeps its own receipt; a campaign counts as one point with `size` supporters."""

    serializer_class = CampaignSerializer
    queryset = Campaign.objects.none()

    @extend_schema(parameters=[OpenApiParameter("consultation", str, required=True, description="The consultation's slug.")])
    def list(self, request):
        consultation = consult_selectors.consultation_get(slug=request.query_params.get("consultation", ""))
        page = self.paginate_queryset(selectors.campaign_list(consultation=consultation))
        return self.get_paginated_response(CampaignSerializer(page, many=True).data)
