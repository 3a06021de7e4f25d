"""Reads of "my comments and what became of them": the signed-in author's comments only, a fixed number of queries a page."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from comments.models import Comment, CommentNoAnswer, Concern, ConcernComment
from drafts.selectors import LineageFate, alignments_of_publication, lineage_fates


@dataclass
class CommentOutcome:
    """One of the author's comments and what became of it."""

    comment: Comment  # with .receipt, .provision, .version.document, .consultation
    concerns: list[Concern] = field(default_factory=list)  # the concerns it is behind, with .resolved_in
    no_answer: CommentNoAnswer | None = None  # the commission's reason why it needs no separate answer
    later: list[LineageFate] = field(default_factory=list)  # its provision in each later version, oldest first


def comments_of_author(*, user: AbstractBaseUser) -> QuerySet[Comment]:
    """The user's comments (replies and hidden or withdrawn ones included), newest first; nobody else's."""
    return (
        Comment.objects.filter(author_id=user.pk)
        .select_related("receipt", "provision", "version__document", "consultation", "no_answer")
        .order_by("-id")
    )


def comment_outcomes(*, comments: list[Comment]) -> list[CommentOutcome]:
    """What became of each comment (a page of comments_of_author): its concerns with their decisions, or the
    reason it needs no separate answer, and what each version published after it did to its provision,
    followed by lineage until the provision is removed or goes into another. Four queries however many.
    """
    outcomes = [CommentOutcome(comment=comment, no_answer=getattr(comment, "no_answer", None)) for comment in comments]
    if not outcomes:
        return []
    by_comment = {outcome.comment.pk: outcome for outcome in outcomes}
    links = ConcernComment.objects.filter(comment_id__in=list(by_comment)).select_related("concern__resolved_in").order_by("concern_id")
    for link in links:
        by_comment[link.comment_id].concerns.append(link.concern)

    steps = alignments_of_publication(document_ids={comment.version.document_id for comment in comments})
    later_steps = {
        outcome.comment.pk: sorted(
            (
                step for step in steps.values()
                if step.new_version.document_id == outcome.comment.version.document_id
                and step.new_version.number > outcome.comment.version.number
            ),
            key=lambda step: step.new_version.number,
        )
        for outcome in outcomes
    }
    needed = {step.pk: step for chain in later_steps.values() for step in chain}
    fates = lineage_fates(alignments=needed.values(), lineage_ids={comment.lineage_id for comment in comments})
    for outcome in outcomes:
        for step in later_steps[outcome.comment.pk]:
            fate = fates.get((step.pk, outcome.comment.lineage_id))
            if fate is None:  # the lineage ended before this version (removed, or went into another provision)
                break
            outcome.later.append(fate)
    return outcomes
