"""REST API of "my comments and what became of them": the signed-in user's own comments, never anyone else's."""
from __future__ import annotations

from django.urls import reverse
from rest_framework import mixins, permissions, serializers, viewsets

from comments.models import Comment
from comments.concerns.models import ConcernStatus
from comments.outcomes import selectors
from config.api.pagination import IdCursorPagination
from drafts.models import ProvisionChange


class OutcomeConcernSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=ConcernStatus.choices)
    rationale = serializers.CharField(help_text="The commission's reasons, once it decided.")
    resolved_in = serializers.IntegerField(allow_null=True, help_text="The version number that carries the resolution.")
    url = serializers.CharField(help_text="The concern's public page.")


class LaterVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The later version's number.")
    version_label = serializers.CharField()
    change = serializers.ChoiceField(choices=ProvisionChange.Kind.choices, help_text="What that version did to the provision.")
    provisions = serializers.ListField(child=serializers.CharField(), help_text="Paths of the provisions it became (none if removed).")
    comparison_url = serializers.CharField(allow_null=True, help_text="The comparison of that version with the one before.")


class MyCommentSerializer(serializers.Serializer):
    """One of the user's comments and what became of it."""

    id = serializers.IntegerField()
    receipt = serializers.CharField(allow_null=True)
    consultation = serializers.CharField(help_text="The consultation's slug.")
    document = serializers.CharField(help_text="The document's slug.")
    version = serializers.IntegerField(help_text="The version number commented on.")
    version_label = serializers.CharField()
    provision = serializers.IntegerField()
    provision_path = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)
    stance = serializers.ChoiceField(choices=Comment.Stance.choices)
    status = serializers.ChoiceField(choices=Comment.Status.choices)
    moderation_reason = serializers.CharField(help_text="Why the moderators hid it, if they did.")
    body = serializers.CharField(help_text="Your own words (shown to you whatever the comment's status).")
    language = serializers.CharField()
    created_at = serializers.DateTimeField()
    url = serializers.CharField(help_text="The comment on its provision's page.")
    concerns = OutcomeConcernSerializer(many=True)
    no_answer_reason = serializers.CharField(allow_null=True, help_text="Why it needs no separate answer, if the commission said so.")
    later_versions = LaterVersionSerializer(many=True)

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
        "version": comment.version.number,
        "version_label": comment.version.label,
        "provision": comment.provision_id,
        "provision_path": comment.provision.path,
        "parent": comment.parent_id,
        "stance": comment.stance,
        "status": comment.status,
        "moderation_reason": comment.moderation_reason if comment.status == Comment.Status.HIDDEN else "",
        "body": comment.body,
        "language": comment.language,
        "created_at": comment.created_at.isoformat(),
        "url": reverse("provision-detail", args=[slug, document.slug, comment.version.number, comment.provision.path]) + f"#comment-{comment.pk}",
        "concerns": [
            {
                "id": concern.pk, "title": concern.title, "status": concern.status, "rationale": concern.rationale,
                "resolved_in": concern.resolved_in.number if concern.resolved_in else None,
                "url": reverse("concern-detail", args=[slug, concern.pk]),
            }
            for concern in outcome.concerns
        ],
        "no_answer_reason": outcome.no_answer.reason if outcome.no_answer else None,
        "later_versions": [
            {
                "version": fate.alignment.new_version.number,
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
