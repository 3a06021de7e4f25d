"""Finding campaigns as comments arrive: each new comment's fingerprint is stored and joined to the
campaign of the comments it is (near-)identical to (comments/campaigns/detection.py states the method).

Incremental: a sweep, asked for after comments are accepted (at most one waiting at a time, as the
outbox's) and run every minute by beat, fingerprints the comments that have none, in id order. A
comment's candidates are the stored comments sharing one of its LSH keys (a GIN index lookup on
PostgreSQL), verified by the Jaccard similarity of their shingles. Appends to one consultation's
campaigns are serialised by its row lock. Safe to run twice: a fingerprinted comment is skipped.
"""
from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min

from comments.models import Campaign, Comment, CommentFingerprint
from config.tasks import enqueue_now
from consult.models import Consultation

SWEEP_REQUESTED = "comments:campaigns-sweep-requested"
SWEEP_TASK = "comments.tasks.campaigns_sweep"
CANDIDATES_MAX = 200


def campaigns_assign_soon() -> None:
    """After commit, have a worker fingerprint the new comments in about a second (one sweep waits at most)."""

    def request_sweep() -> None:
        if cache.add(SWEEP_REQUESTED, True, timeout=30) and not enqueue_now(SWEEP_TASK, countdown=1):
            cache.delete(SWEEP_REQUESTED)

    transaction.on_commit(request_sweep)


def campaigns_sweep(*, limit: int = 5000) -> int:
    """Fingerprint the comments that have none (oldest first) and join them to their campaigns; how many."""
    cache.delete(SWEEP_REQUESTED)
    pending = list(
        Comment.objects.filter(fingerprint__isnull=True, status=Comment.Status.PUBLISHED, is_official=False)
        .order_by("id").values_list("id", flat=True)[:limit]
    )
    for comment_id in pending:
        comment_campaign_assign(comment_id=comment_id)
    return len(pending)


def comment_campaign_assign(*, comment_id: int) -> Campaign | None:
    """Store one comment's fingerprint and put it in the campaign of the comments it matches (merging
    campaigns it bridges, creating one with its first match). Returns its campaign, if any."""
    comment = Comment.objects.filter(pk=comment_id).only("id", "consultation_id", "body", "created_at").first()
    if comment is None:
        return None
    from comments.campaigns import detection  # numpy and datasketch: loaded by workers, not by every web process

    fingerprint = detection.fingerprint(comment.body)
    with transaction.atomic():
        Consultation.objects.select_for_update().filter(pk=comment.consultation_id).first()
        if CommentFingerprint.objects.filter(comment_id=comment_id).exists():
            return Campaign.objects.filter(fingerprints__comment_id=comment_id).first()
        if fingerprint is None:
            CommentFingerprint.objects.create(comment=comment, consultation_id=comment.consultation_id, exact="")
            return None
        matches = [
            stored for stored in _candidates(comment.consultation_id, fingerprint.keys)
            if detection.fingerprints_similar(fingerprint, _stored(stored))
        ]
        campaign = _campaign_joined(comment, matches)
        CommentFingerprint.objects.create(
            # keys as an object's keys: `?|` finds them on PostgreSQL, and SQLite's JSON functions can too (not array items)
            comment=comment, consultation_id=comment.consultation_id, keys=dict.fromkeys(fingerprint.keys, 1),
            shingles=fingerprint.shingles.tobytes(), exact=fingerprint.exact, campaign=campaign,
        )
        if campaign is not None:
            _campaign_recount(campaign)
    return campaign


def _candidates(consultation_id: int, keys: tuple[str, ...]) -> list[CommentFingerprint]:
    return list(
        CommentFingerprint.objects.filter(consultation_id=consultation_id, keys__has_any_keys=list(keys))
        .order_by("comment_id")[:CANDIDATES_MAX]
    )


def _stored(stored: CommentFingerprint):
    import numpy as np

    from comments.campaigns import detection

    return detection.Fingerprint(keys=tuple(stored.keys), shingles=np.frombuffer(bytes(stored.shingles), dtype=np.uint32), exact=stored.exact)


def _campaign_joined(comment: Comment, matches: list[CommentFingerprint]) -> Campaign | None:
    if not matches:
        return None
    campaigns = sorted({match.campaign_id for match in matches if match.campaign_id})
    if not campaigns:
        first = min(matches, key=lambda match: match.comment_id)
        campaign = Campaign.objects.create(
            consultation_id=comment.consultation_id, template_comment_id=first.comment_id, size=0,
            first_seen=comment.created_at, last_seen=comment.created_at,
        )
        CommentFingerprint.objects.filter(comment_id__in=[m.comment_id for m in matches]).update(campaign=campaign)
        return campaign
    campaign = Campaign.objects.get(pk=campaigns[0])
    if len(campaigns) > 1:  # the comment bridges campaigns: they are one
        CommentFingerprint.objects.filter(campaign_id__in=campaigns[1:]).update(campaign=campaign)
        Campaign.objects.filter(pk__in=campaigns[1:]).delete()
    CommentFingerprint.objects.filter(comment_id__in=[m.comment_id for m in matches], campaign__isnull=True).update(campaign=campaign)
    return campaign


def _campaign_recount(campaign: Campaign) -> None:
    members = Comment.objects.filter(fingerprint__campaign=campaign)
    figures = members.aggregate(first=Min("created_at"), template=Min("id"))
    campaign.size = members.count()
    campaign.first_seen = figures["first"]
    campaign.last_seen = members.order_by("-created_at").values_list("created_at", flat=True).first()
    campaign.template_comment_id = figures["template"]
    campaign.save(update_fields=["size", "first_seen", "last_seen", "template_comment"])
