"""REST API of campaigns: the form letters found among a consultation's comments, each as one group."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from comments.campaigns import selectors
from comments.models import Campaign
from config.api.openapi import field_examples
from config.api.pagination import DefaultPagination
from consult import selectors as consult_selectors


@field_examples(
    id=5, consultation="tarvania-2026", size=212, template="I ask that rights be restricted only on the grounds the ICCPR allows.",
    template_comment=4521, first_seen="2026-01-12T09:41:07+05:00", last_seen="2026-01-19T22:03:51+05:00",
)
class CampaignSerializer(serializers.ModelSerializer):
    template = serializers.CharField(
        source="template_text", read_only=True,
        help_text="The text its comments share (without the name or greeting its first sender put around it).",
    )
    consultation = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The consultation's slug.")

    class Meta:
        model = Campaign
        fields = ["id", "consultation", "size", "template", "template_comment", "first_seen", "last_seen"]
        extra_kwargs = {
            "id": {"help_text": "The campaign's id."},
            "size": {"help_text": "Its published comments: the number of supporters of this one point."},
            "template_comment": {"help_text": "The comment whose text, trimmed, is the template."},
            "first_seen": {"help_text": "When its first comment was accepted."},
            "last_seen": {"help_text": "When its latest comment was accepted."},
        }


@field_examples(
    comment=4533, author_name="Dana K.", organisation_name="", receipt="TARVANIA-2026-0000051",
    created_at="2026-01-12T10:02:44+05:00", additions=["My grandmother was a teacher."],
)
class CampaignMemberSerializer(serializers.Serializer):
    comment = serializers.IntegerField(source="comment.pk", help_text="The comment's id.")
    author_name = serializers.CharField(source="comment.author_name", help_text="Its author's public name.")
    organisation_name = serializers.CharField(source="comment.organisation_name", help_text="The organisation, if its author speaks for one.")
    receipt = serializers.SerializerMethodField(help_text="Its receipt's tracking number.")
    created_at = serializers.DateTimeField(source="comment.created_at", help_text="When it was accepted.")
    additions = serializers.ListField(
        child=serializers.CharField(), help_text="Its runs of words that the template does not have, as written."
    )

    def get_receipt(self, member) -> str | None:
        receipt = getattr(member.comment, "receipt", None)  # a missing one-to-one raises an AttributeError
        return receipt.number if receipt else None


@field_examples(count=212, next="https://consult.example.org/api/v1/campaigns/5/?page=2", previous=None)
class CampaignMembersPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many published comments it has.")
    next = serializers.URLField(allow_null=True, help_text="The next page of them; null on the last.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page; null on the first.")
    results = CampaignMemberSerializer(many=True, help_text="This page's comments, by id.")


class CampaignDetailSerializer(CampaignSerializer):
    members = CampaignMembersPageSerializer(read_only=True, help_text="A page of its published comments, by id (`page`, `page_size`).")

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "members"]


class CampaignViewSet(viewsets.GenericViewSet):
    """Campaigns, largest first: each comment keeps its own receipt; a campaign counts as one point with `size` supporters.

    Only published comments count and show: a campaign left with fewer than two is not listed.
    """

    serializer_class = CampaignSerializer
    queryset = Campaign.objects.none()
    lookup_value_regex = r"\d{1,18}"  # anything else is no campaign: a 404 from the router

    @extend_schema(parameters=[OpenApiParameter("consultation", str, required=True, description="The consultation's slug.")])
    def list(self, request):
        consultation = consult_selectors.consultation_get(slug=request.query_params.get("consultation", ""))
        page = self.paginate_queryset(selectors.campaign_list(consultation=consultation).select_related("consultation"))
        return self.get_paginated_response(CampaignSerializer(page, many=True).data)

    @extend_schema(responses=CampaignDetailSerializer)
    def retrieve(self, request, pk=None):
        campaign = selectors.campaign_get(campaign_id=int(pk))
        paginator = DefaultPagination()
        comments = paginator.paginate_queryset(selectors.campaign_members(campaign=campaign), request, view=self)
        members = selectors.campaign_members_with_additions(campaign=campaign, comments=comments)
        campaign.members = {
            "count": paginator.page.paginator.count, "next": paginator.get_next_link(), "previous": paginator.get_previous_link(),
            "results": members,
        }
        return Response(CampaignDetailSerializer(campaign).data)
