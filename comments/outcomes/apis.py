"""REST API of "my comments and what became of them": the signed-in user's own comments, never anyone else's."""
from __future__ import annotations

from django.urls import reverse
from rest_framework import mixins, permissions, serializers, viewsets

from comments.concerns.models import ConcernStatus
from comments.models import Comment
from comments.outcomes import selectors
from config.api.openapi import field_examples
from config.api.pagination import IdCursorPagination
from drafts.models import ProvisionChange


@field_examples(
    id=57, title="Restrictions on 'spiritual and moral values'", status="accepted",
    rationale="The grounds are now those the ICCPR allows.", resolved_in=9, resolved_in_number=2,
    url="/c/tarvania-2026/concerns/57/",
)
class OutcomeConcernSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The concern's id.")
    title = serializers.CharField(help_text="What the comments behind it ask for, in a line.")
    status = serializers.ChoiceField(choices=ConcernStatus.choices, help_text="Where the concern stands.")
    rationale = serializers.CharField(help_text="The commission's reasons, once it decided.")
    resolved_in = serializers.IntegerField(allow_null=True, help_text="The id of the version that carries the resolution.")
    resolved_in_number = serializers.IntegerField(allow_null=True, help_text="That version's number.")
    url = serializers.CharField(help_text="The concern's public page.")


@field_examples(
    version=9, version_number=2, version_label="Draft 2", change="modified", provisions=["II/25/1"],
    comparison_url="/c/tarvania-2026/constitution/compare/v1-v2/",
)
class LaterVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The later version's id.")
    version_number = serializers.IntegerField(help_text="The later version's number.")
    version_label = serializers.CharField(help_text="The later version's label.")
    change = serializers.ChoiceField(choices=ProvisionChange.Kind.choices, help_text="What that version did to the provision.")
    provisions = serializers.ListField(child=serializers.CharField(), help_text="Paths of the provisions it became (none if removed).")
    comparison_url = serializers.CharField(allow_null=True, help_text="The comparison of that version with the one before.")


@field_examples(
    id=4521, receipt="TARVANIA-2026-0000042", consultation="tarvania-2026", document="constitution", version=7,
    version_number=1, version_label="Draft 1", provision=1234, provision_path="II/25/1", parent=None, stance="oppose",
    status="published", moderation_reason="", body="Restrictions on grounds of 'spiritual and moral values' go too far.",
    language="en", created_at="2026-01-12T09:41:07+05:00", url="/c/tarvania-2026/constitution/v1/p/II/25/1/#comment-4521",
    no_answer_reason=None, withdrawn_at=None,
)
class MyCommentSerializer(serializers.Serializer):
    """One of the user's comments and what became of it."""

    id = serializers.IntegerField(help_text="The comment's id.")
    receipt = serializers.CharField(allow_null=True, help_text="Its receipt's tracking number.")
    consultation = serializers.CharField(help_text="The consultation's slug.")
    document = serializers.CharField(help_text="The document's slug.")
    version = serializers.IntegerField(help_text="The id of the version commented on.")
    version_number = serializers.IntegerField(help_text="That version's number within its document.")
    version_label = serializers.CharField(help_text="That version's label.")
    provision = serializers.IntegerField(help_text="The id of the provision commented on.")
    provision_path = serializers.CharField(help_text="The provision's place in the version.")
    parent = serializers.IntegerField(allow_null=True, help_text="The comment it replies to; null for a comment.")
    stance = serializers.ChoiceField(choices=Comment.Stance.choices, help_text="Its stance (empty for a reply without one).")
    status = serializers.ChoiceField(choices=Comment.Status.choices, help_text="published, hidden by moderators, or withdrawn.")
    moderation_reason = serializers.CharField(help_text="Why the moderators hid it, if they did.")
    withdrawn_at = serializers.DateTimeField(
        allow_null=True, help_text="When you withdrew it; null if you did not. A hidden comment you withdrew stays hidden, with its reason."
    )
    body = serializers.CharField(help_text="Your own words (shown to you whatever the comment's status).")
    language = serializers.CharField(help_text="The language it is written in (ISO 639-1).")
    created_at = serializers.DateTimeField(help_text="When it was accepted.")
    url = serializers.CharField(help_text="The comment on its provision's page.")
    concerns = OutcomeConcernSerializer(many=True, help_text="The concerns it is behind, with their decisions.")
    no_answer_reason = serializers.CharField(allow_null=True, help_text="Why it needs no separate answer, if the commission said so.")
    later_versions = LaterVersionSerializer(many=True, help_text="What each later published version did to its provision.")

    def to_representation(self, outcome):
        return outcome_record(outcome)


def outcome_record(outcome: selectors.CommentOutcome) -> dict:
    comment = outcome.comment
    slug, document = comment.consultation.slug, comment.version.document
    receipt = getattr(comment, "receipt", None)
    return {
        "id": comment.pk,
        "receipt": receipt.number if receipt else None,
        "consultation": slug,
        "document": document.slug,
        "version": comment.version_id,
        "version_number": comment.version.number,
        "version_label": comment.version.label,
        "provision": comment.provision_id,
        "provision_path": comment.provision.path,
        "parent": comment.parent_id,
        "stance": comment.stance,
        "status": comment.status,
        "moderation_reason": comment.moderation_reason if comment.status == Comment.Status.HIDDEN else "",
        "withdrawn_at": comment.withdrawn_at.isoformat() if comment.withdrawn_at else None,
        "body": comment.body,
        "language": comment.language,
        "created_at": comment.created_at.isoformat(),
        "url": reverse("provision-detail", args=[slug, document.slug, comment.version.number, comment.provision.path]) + f"#comment-{comment.pk}",
        "concerns": [
            {
                "id": concern.pk, "title": concern.title, "status": concern.status, "rationale": concern.rationale,
                "resolved_in": concern.resolved_in_id,
                "resolved_in_number": concern.resolved_in.number if concern.resolved_in else None,
                "url": reverse("concern-detail", args=[slug, concern.pk]),
            }
            for concern in outcome.concerns
        ],
        "no_answer_reason": outcome.no_answer.reason if outcome.no_answer else None,
        "later_versions": [
            {
                "version": fate.alignment.new_version_id,
                "version_number": fate.alignment.new_version.number,
                "version_label": fate.alignment.new_version.label,
                "change": fate.kind,
                "provisions": [provision.path for provision in fate.new],
                "comparison_url": reverse(
                    "comparison", args=[slug, document.slug, fate.alignment.old_version.number, fate.alignment.new_version.number]
                ),
            }
            for fate in outcome.later
        ],
    }


class MyCommentPagination(IdCursorPagination):
    ordering = "-id"
    page_size = 20
    max_page_size = 100


class MyCommentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your comments, newest first, and what became of each: the concerns it is behind with their decisions
    (or why it needs no separate answer), and what each later version did to its provision. Sign in first."""

    serializer_class = MyCommentSerializer
    pagination_class = MyCommentPagination
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.comments_of_author(user=self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        outcomes = selectors.comment_outcomes(comments=list(page))
        return self.get_paginated_response(self.get_serializer(outcomes, many=True).data)
