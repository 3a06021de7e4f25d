"""Finding campaigns as comments arrive: each new comment's fingerprint is stored and joined to the
campaign of the comments it is (near-)identical to (comments/campaigns/detection.py states the method).

Incremental: a sweep, asked for after comments are accepted (at most one waiting at a time, as the
outbox's) and run every minute by beat, fingerprints the comments that have none, in id order. A
comment's candidates are the stored comments sharing one of its LSH keys (a GIN index lookup on
PostgreSQL; at most CANDIDATES_MAX, so that a copy of a letter sent 10,000 times does not read them all),
verified by the Jaccard similarity of their shingles (at most TRIES_PER_CAMPAIGN comments of a campaign,
as the in-memory CampaignIndex). Safe to run twice: a fingerprinted comment is skipped.

What a campaign shows is its published comments: `size` counts them, first/last seen date them, and its
template (the text they share, detection's step 6) is computed from a sample of them (at most
2 * TEMPLATE_SAMPLE) when the campaign is created or merged, when its size reaches a power of two, and when
one of its comments is hidden, withdrawn, restored or corrected. So an add costs one candidate lookup and
a row update, and a template is recomputed about log2(size) times in a campaign's life.

Locks, in this order: the consultation's row (FOR NO KEY UPDATE: it serialises the assignments of one
consultation without blocking the comments being written into it), the comment's, then a campaign's.
A moderation or an author's change holds the comment's lock and takes its campaign's (never the
consultation's), so the two never wait on each other in a circle. A campaign's figures are counted after
its row lock is taken, so that a count never misses what a concurrent change committed.
"""
from __future__ import annotations

from collections import Counter

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef

from comments.models import Campaign, Comment, CommentFingerprint
from config.tasks import enqueue_now
from consult.models import Consultation

SWEEP_REQUESTED = "comments:campaigns-sweep-requested"
SWEEP_TASK = "comments.tasks.campaigns_sweep"
CANDIDATES_MAX = 100
TRIES_PER_CAMPAIGN = 8
TEMPLATE_SAMPLE = 100  # comments from each end of a campaign (by id) that its template is computed from


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
    consultation_id = Comment.objects.filter(pk=comment_id).values_list("consultation_id", flat=True).first()
    if consultation_id is None:
        return None
    from comments.campaigns import detection  # numpy: loaded by workers and the campaigns' pages, not by every request

    with transaction.atomic():
        Consultation.objects.select_for_update(no_key=True).filter(pk=consultation_id).values_list("pk", flat=True).first()
        # Read under its lock: a correction or a moderation committed meanwhile is seen, one in progress waited for.
        comment = (
            Comment.objects.select_for_update(no_key=True).filter(pk=comment_id)
            .annotate(fingerprinted=Exists(CommentFingerprint.objects.filter(comment_id=OuterRef("pk"))))
            .only("id", "consultation_id", "body", "status", "created_at").first()
        )
        if comment.fingerprinted:
            return Campaign.objects.filter(fingerprints__comment_id=comment_id).first()
        fingerprint = detection.fingerprint(comment.body)
        if fingerprint is None:
            CommentFingerprint.objects.create(comment=comment, consultation_id=consultation_id, exact="")
            return None
        campaign, one_more = _campaign_joined(comment, _matches(fingerprint, _candidates(consultation_id, fingerprint.keys)))
        CommentFingerprint.objects.create(
            # keys as an object's keys: `?|` finds them on PostgreSQL, and SQLite's JSON functions can too (not array items)
            comment=comment, consultation_id=consultation_id, keys=dict.fromkeys(fingerprint.keys, 1),
            shingles=fingerprint.shingles.tobytes(), exact=fingerprint.exact, campaign=campaign,
        )
        if one_more:
            _campaign_count_one_more(campaign, comment)
        elif campaign is not None:
            _campaign_refresh(campaign)
    return campaign


def _candidates(consultation_id: int, keys: tuple[str, ...]) -> list[CommentFingerprint]:
    """At most CANDIDATES_MAX stored comments sharing a key. Unordered, so that the scan stops there: a comment
    like a letter sent 10,000 times shares a key with each copy (read in the table's order, about the oldest)."""
    return list(
        CommentFingerprint.objects.filter(consultation_id=consultation_id, keys__has_any_keys=list(keys))
        .only("comment_id", "shingles", "exact", "campaign_id")[:CANDIDATES_MAX]
    )


def _matches(fingerprint, candidates: list[CommentFingerprint]) -> list[CommentFingerprint]:
    """The candidates similar to the fingerprint: every one without a campaign, and for each campaign the first
    found, after at most TRIES_PER_CAMPAIGN of its comments (as detection.CampaignIndex)."""
    from comments.campaigns import detection

    matches, tried, joined = [], Counter(), set()
    for stored in candidates:
        if stored.campaign_id is not None:
            if stored.campaign_id in joined or tried[stored.campaign_id] >= TRIES_PER_CAMPAIGN:
                continue
            tried[stored.campaign_id] += 1
        if detection.fingerprints_similar(fingerprint, _stored(stored)):
            matches.append(stored)
            joined.add(stored.campaign_id)
    return matches


def _stored(stored: CommentFingerprint):
    import numpy as np

    from comments.campaigns import detection

    return detection.Fingerprint(keys=(), shingles=np.frombuffer(bytes(stored.shingles), dtype=np.uint32), exact=stored.exact)


def _campaign_joined(comment: Comment, matches: list[CommentFingerprint]) -> tuple[Campaign | None, bool]:
    """The campaign the comment joins with its matches, locked (or created), and whether it only grows by the
    comment: their one campaign; a new one, for the matches that had none; the oldest of those it bridges,
    the others merged into it. The comment's fingerprint is the caller's to store."""
    if not matches:
        return None, False
    campaigns = sorted({match.campaign_id for match in matches if match.campaign_id})
    loose = [match.comment_id for match in matches if not match.campaign_id]
    if not campaigns:
        campaign = Campaign.objects.create(
            consultation_id=comment.consultation_id, template_comment_id=min(loose), size=0,
            first_seen=comment.created_at, last_seen=comment.created_at,
        )
    else:
        campaign = Campaign.objects.select_for_update().get(pk=campaigns[0])
    if len(campaigns) > 1:  # the comment bridges campaigns: they are one, under the oldest
        list(Campaign.objects.select_for_update().filter(pk__in=campaigns[1:]).order_by("pk"))  # locked, in id order, before their comments move
        CommentFingerprint.objects.filter(campaign_id__in=campaigns[1:]).update(campaign=campaign)
        Campaign.objects.filter(pk__in=campaigns[1:]).delete()
    if loose:
        CommentFingerprint.objects.filter(comment_id__in=loose).update(campaign=campaign)
    return campaign, len(campaigns) == 1 and not loose


def _campaign_count_one_more(campaign: Campaign, comment: Comment) -> None:
    """The campaign (locked) has one more comment: counted if published; its template again at a power of two."""
    if comment.status != Comment.Status.PUBLISHED:
        return
    if campaign.size == 0:  # its dates were those of comments no longer shown
        _campaign_refresh(campaign)
        return
    campaign.size += 1
    campaign.first_seen = min(campaign.first_seen, comment.created_at)
    campaign.last_seen = max(campaign.last_seen, comment.created_at)
    fields = ["size", "first_seen", "last_seen"]
    if campaign.size & (campaign.size - 1) == 0:
        _template_set(campaign, _published(campaign))
        fields += ["template_comment", "template_text"]
    campaign.save(update_fields=fields)


def _published(campaign: Campaign):
    return Comment.objects.filter(fingerprint__campaign=campaign, status=Comment.Status.PUBLISHED)


def _campaign_refresh(campaign: Campaign) -> None:
    """Count, date and template the campaign from its published comments. The caller holds its row lock."""
    published = _published(campaign)
    figures = published.aggregate(size=Count("id"), first=Min("created_at"), last=Max("created_at"))
    campaign.size = figures["size"]
    if campaign.size:
        campaign.first_seen, campaign.last_seen = figures["first"], figures["last"]
        _template_set(campaign, published)
    campaign.save(update_fields=["size", "first_seen", "last_seen", "template_comment", "template_text"])


def _template_set(campaign: Campaign, published) -> None:
    """The template from the first and the last TEMPLATE_SAMPLE published comments: bounded, whatever the size."""
    from comments.campaigns import detection

    sample = dict(published.order_by("id").values_list("id", "body")[:TEMPLATE_SAMPLE])
    if len(sample) == TEMPLATE_SAMPLE:
        sample.update(published.order_by("-id").values_list("id", "body")[:TEMPLATE_SAMPLE])
    template = detection.campaign_template(sample)
    if template is not None:
        campaign.template_comment_id, campaign.template_text = template.comment_id, template.text


def comment_campaign_refresh(*, comment_id: int, text_changed: bool = False) -> None:
    """After a comment was hidden, withdrawn, restored or corrected: its campaign counted and templated again
    from its published comments, so that no hidden or withdrawn words are shown in it.

    Call it inside the transaction that changed the comment, holding the comment's lock (comments.services.
    comment_lock). A corrected text (`text_changed`) loses its fingerprint, and the sweep, asked for after
    commit, fingerprints it again: it may now belong to another campaign, or to none.
    """
    campaign = None
    for _attempt in range(3):  # a campaign merged into another while we waited for its lock: its comments moved
        fingerprint = CommentFingerprint.objects.filter(comment_id=comment_id).values("campaign_id").first()
        if fingerprint is None:  # not fingerprinted yet: the sweep will, with its text as it is now
            if text_changed:
                campaigns_assign_soon()
            return
        if fingerprint["campaign_id"] is None:
            break
        campaign = Campaign.objects.select_for_update().filter(pk=fingerprint["campaign_id"]).first()
        if campaign is not None:
            break
    if text_changed:
        CommentFingerprint.objects.filter(comment_id=comment_id).delete()
        campaigns_assign_soon()
    if campaign is not None:
        _campaign_refresh(campaign)
